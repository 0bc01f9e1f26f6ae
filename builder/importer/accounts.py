"""决算 assembler (below)."""
