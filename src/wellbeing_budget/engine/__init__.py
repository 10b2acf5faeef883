"""Models to arrays to numbers: ``compile.py`` is the one door in; the rest is pure numpy.

Time profiles, discounting, effect-years and money per impact, composite-index kernels.
"""
