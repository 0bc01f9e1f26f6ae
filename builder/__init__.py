"""budget-builder: 部门预算公开表 from one YAML per department-year.

Pipeline (see build.py): loader → parse/model → compute → check → tables → render_xlsx/render_pdf.
"""

__version__ = "0.1.0"
