"""A tiny command-line "agent": prints a few lines about the prompt, one at a time.

Usage: python -m examples.webui.agents.echo_agent [--delay SECONDS] [--lines N] [--fail] PROMPT
Lines that are JSON objects become typed messages; plain lines become `assistant` text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> int:
    """Run the agent."""
    p = argparse.ArgumentParser()
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--lines", type=int, default=3)
    p.add_argument("--fail", action="store_true")
    p.add_argument("--yes", action="store_true", help="auto-approve (accepted and ignored)")
    p.add_argument("prompt")
    a = p.parse_args()
    print(json.dumps({"type": "system", "cwd": os.getcwd(), "pid": os.getpid()}), flush=True)
    for i in range(a.lines):
        time.sleep(a.delay)
        print(f"step {i + 1}: thinking about {a.prompt!r}", flush=True)
    if a.fail:
        print("something went wrong", file=sys.stderr, flush=True)
        return 3
    print(json.dumps({"type": "result", "text": f"done: {a.prompt}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
