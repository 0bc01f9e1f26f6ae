"""The 部门决算 (final accounts): what a department actually received and spent in a closed year."""
