"""The service's only door into the core: every stage the service uses, imported here once.

The web service sits above the pipeline (build.py) and the batch (batch.py); it never adds
money, checks a rule or lays out a table itself. Every other module of builder/service imports
the core through this file, so a renamed core module is fixed here, in one place.
"""

from __future__ import annotations

from .. import __version__
from ..accounts.init import final_from_budget
from ..batch import (BUILT, FAILED, MANIFEST, MONEY_COLUMNS, OVERVIEW, UNCHANGED, Options, Outcome, build_one, department_of,
                     describe_earlier, earlier_outputs, find_departments, input_key, load_manifest, same_departments,
                     same_names, save_manifest)
# what the batch reads of a file's top-level keys before loading it (links, 部分数据): the service
# uses it only to know when find_departments must run again
from ..batch import _read as read_text, _top_level as top_level_keys
from ..build import analyse, compute, differ, load_document, publication
from ..compare import shown, signed, signed_percent
from ..core.files import os_problem, write_all_atomically
from ..core.findings import BuildFailed, Finding, Severity, error
from ..core.loader import load_yaml
from ..core.numbers import Display
from ..core.resources import cjk_font
from ..kinds import available as profiles
from ..render.pdf import cell_text
from ..schema import schema_for
from ..tables.model import Block, Cell, Table, place
from ..tables.model import Document as Publication

__all__ = [
    "__version__", "final_from_budget",
    "BUILT", "FAILED", "MANIFEST", "MONEY_COLUMNS", "OVERVIEW", "UNCHANGED", "Options", "Outcome", "build_one", "department_of",
    "describe_earlier", "earlier_outputs", "find_departments", "input_key", "load_manifest", "same_departments",
    "same_names", "save_manifest", "read_text", "top_level_keys",
    "analyse", "compute", "differ", "load_document", "publication",
    "shown", "signed", "signed_percent",
    "os_problem", "write_all_atomically", "BuildFailed", "Finding", "Severity", "error", "load_yaml", "Display", "cjk_font", "profiles",
    "cell_text", "schema_for", "Block", "Cell", "Table", "Publication", "place",
]
