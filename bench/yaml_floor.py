"""The floor of a batch command: load every YAML file under the given folders with libyaml's
CSafeLoader, in one fresh process, and nothing else (no checks, no engine, no report).

    python bench/yaml_floor.py FOLDER [FOLDER ...]

Run by bench/batch.py in a process of its own, paired with `advisor review` and
`advisor evaluate` over the same files.
"""

import sys
from pathlib import Path

import yaml

loaded = 0
for folder in sys.argv[1:]:
    for path in sorted(Path(folder).rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            loaded += 1
print(loaded)
