"""The service's only door into the core: every stage the service uses, imported here once.

The web service sits above the pipeline (build.py) and the batch (batch.py); it never adds
money, checks a rule or lays out a table itself. Every other module of builder/service imports
the core through this file, so a renamed core module is fixed here, in one place.
"""

from __future__ import annotations

# the pipeline: load, compute and check one YAML; its format-neutral publication; comparisons
from ..build import analyse, compute, differ, load_document, publication
# the batch: which files are departments, what an output depends on, building one department in
# a worker, the manifest and 汇总 of the output folder, the files it refuses to build together
from ..batch import (FAILED, MONEY_COLUMNS, Options, Outcome, build_one, department_of, describe_earlier,
                     earlier_outputs, find_departments, input_key, load_manifest, same_departments, same_names,
                     save_manifest)
# what the batch reads of a file's top-level keys before loading it (links, 部分数据): the service
# uses it only to know when find_departments must run again
from ..batch import _read as read_text, _top_level as top_level_keys
# the publication's model and how the PDF prints a cell (the preview prints it the same)
from ..tables.model import Cell, Table, place
from ..tables.model import Document as Publication
from ..render.pdf import cell_text
# the kinds' own tools, as the command line uses them
from ..accounts.init import final_from_budget
from ..compare import shown, signed, signed_percent
from ..kinds import available as profiles
from ..schema import schema_for
# shared pieces: findings, the strict loader, money shown in 万元, atomic writes, the CJK font
from ..core.findings import BuildFailed, Finding, error
from ..core.loader import load_yaml
from ..core.numbers import Display
from ..core.files import os_problem, write_all_atomically
from ..core.resources import cjk_font

__all__ = [
    "analyse", "compute", "differ", "load_document", "publication",
    "FAILED", "MONEY_COLUMNS", "Options", "Outcome", "build_one", "department_of", "describe_earlier",
    "earlier_outputs", "find_departments", "input_key", "load_manifest", "same_departments", "same_names",
    "save_manifest", "read_text", "top_level_keys",
    "Cell", "Table", "place", "Publication", "cell_text",
    "final_from_budget", "shown", "signed", "signed_percent", "profiles", "schema_for",
    "BuildFailed", "Finding", "error", "load_yaml", "Display", "os_problem", "write_all_atomically", "cjk_font",
]
