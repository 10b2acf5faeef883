from wellbeing_budget.errors import Problem, ValidationError, did_you_mean, format_path


def test_format_path_mixes_keys_and_indexes() -> None:
    assert format_path(("domains", 3, "indicators", 1, "unit")) == "domains[3].indicators[1].unit"
    assert format_path(()) == ""
    assert format_path((0, "id")) == "[0].id"


def test_problem_renders_file_line_column_path_message() -> None:
    problem = Problem("unknown key 'x'", ("domains", 0, "x"), "my.yaml", 14, 9)
    assert str(problem) == "my.yaml:14:9: domains[0].x: unknown key 'x'"
    assert str(Problem("bad", (), "f.yaml")) == "f.yaml: bad"


def test_validation_error_lists_every_problem() -> None:
    problems = [Problem(f"problem {i}", ("a", i), "f.yaml", i + 1, 1) for i in range(3)]
    error = ValidationError(problems)
    assert error.problems == tuple(problems)
    text = str(error)
    assert text.startswith("3 problems found")
    for problem in problems:
        assert str(problem) in text


def test_did_you_mean_only_suggests_close_words() -> None:
    assert did_you_mean("helth", ["health", "housing"]) == "; did you mean 'health'?"
    assert did_you_mean("zzzz", ["health", "housing"]) == ""


def test_a_null_key_in_a_path_is_shown_not_a_crash() -> None:
    assert format_path((None, "name")) == "None.name"  # type: ignore[arg-type]
