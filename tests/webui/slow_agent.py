"""A local test agent: prints its prompt and N numbered lines, with a delay; `--fail` exits 2."""

import sys
import time

args = sys.argv[1:]
delay = float(args[args.index("--delay") + 1]) if "--delay" in args else 0.01
lines = int(args[args.index("--lines") + 1]) if "--lines" in args else 3
prompt = args[-1]
print(f"got prompt: {prompt}", flush=True)
for i in range(lines):
    time.sleep(delay)
    print(f'{{"type": "progress", "step": {i + 1}}}', flush=True)
if prompt == "fail":
    print("boom", file=sys.stderr, flush=True)
    sys.exit(2)
