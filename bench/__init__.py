"""`make bench`: the portal under load at city or province scale, one table of the measures of issue 17.

`python -m bench` (or `make bench`; `BENCH_QUICK=1` for city scale in a few minutes). See
docs/benchmarks.md for the table it prints and how each row is measured."""
