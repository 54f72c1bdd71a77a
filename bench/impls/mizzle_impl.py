"""PLACEHOLDER: mizzle implementation of the benchmark -- not written yet.

To plug mizzle in, replace this module with a class ``Impl(BenchImpl)`` that
implements every query listed in ``impls/base.py`` (see its docstring and
bench/README.md, section "Adding a library"), idiomatically for mizzle.
Until then importing it raises ImportError so the harness skips it.
"""
raise ImportError("mizzle implementation pending")
