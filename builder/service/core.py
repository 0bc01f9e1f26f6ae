"""The service's only door into the core: every stage the service uses, imported here once.

The web service sits above the pipeline (build.py) and the batch (batch.py); it never adds
money, checks a rule or lays out a table itself. Every other module of builder/service imports
the core through this file, so a renamed core module is fixed here, in one place.
"""

from __future__ import annotations

# the batch: which files are departments, what an output depends on, building one department in
# a worker, the manifest and 汇总 of the output folder, the files it refuses to build together
# what the batch reads of a file's top-level keys before loading it (links, 部分数据): the service
# uses it only to know when find_departments must run again
from ..batch import (
                     FAILED,
                     MONEY_COLUMNS,
                     Options,
                     Outcome,
                     build_one,
                     department_of,
                     describe_earlier,
                     earlier_outputs,
                     find_departments,
                     input_key,
                     load_manifest,
                     read_text,
                     same_departments,
                     same_names,
                     save_manifest,
)
from ..batch import top_level as top_level_keys

# the pipeline: load, compute and check one YAML; its format-neutral publication; comparisons
from ..build import analyse, compute, differ, load_document, publication
from ..compare import shown, signed, signed_percent

# the kinds' own tools, as the command line uses them: a 决算 started from its 预算, comparisons,
# a published workbook or PDF read back into a YAML
from ..convert import final_from_budget
from ..core.document import Computed
from ..core.files import os_problem, write_all_atomically

# shared pieces: findings, the strict loader, money shown in 万元, atomic writes, the CJK font
from ..core.findings import BuildFailed, Finding, error
from ..core.loader import load_yaml
from ..core.numbers import Display
from ..core.resources import cjk_font
from ..importer import import_file
from ..profiles import available as profiles

# the publication's model and how every renderer prints a cell (the preview prints it the same)
from ..publication.model import Cell, Publication, Table, cell_text, place
from ..schema import schema_for

__all__ = [
    "analyse", "compute", "differ", "load_document", "publication",
    "FAILED", "MONEY_COLUMNS", "Options", "Outcome", "build_one", "department_of", "describe_earlier",
    "earlier_outputs", "find_departments", "input_key", "load_manifest", "same_departments", "same_names",
    "save_manifest", "read_text", "top_level_keys",
    "Cell", "Table", "place", "Publication", "cell_text",
    "final_from_budget", "Computed", "shown", "signed", "signed_percent", "import_file", "profiles", "schema_for",
    "BuildFailed", "Finding", "error", "load_yaml", "Display", "os_problem", "write_all_atomically", "cjk_font",
]
