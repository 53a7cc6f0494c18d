#!/usr/bin/env bash
# The account index's scale figures (README, "The account index"): the demo server seeded with
# 500,000 files in 5,000 folders, the crawl into a new index, the queries, the size on disk.
# Timings are printed, never asserted. K2S_BENCH_FILES=N for another size, K2S_BENCH_RATE=N for
# another request throttle (default 1000/s; the client's default is 5/s).
# PROFILE=release for optimized numbers (a release build of the tests: long on a small machine).
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--test index scale_figures)
if [ "${PROFILE:-dev}" = release ]; then
    args=(--release "${args[@]}")
fi
exec cargo test "${args[@]}" -- --ignored --nocapture
