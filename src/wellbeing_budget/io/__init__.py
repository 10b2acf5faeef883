"""Files to models: safe YAML, proposal tables (CSV, Excel, DataFrames), built-in data.

Every problem is located (file, line, column, dotted path); every named reference is confined.
"""
