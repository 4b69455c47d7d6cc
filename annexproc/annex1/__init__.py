"""附件1-1 and 附件1-2: locating them by their header texts (locate) and checking them (check)."""
