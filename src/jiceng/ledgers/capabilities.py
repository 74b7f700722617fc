"""The office ledgers' actions (信访, 值班, 地质灾害, 个人建房/批后监管, 报件备案)."""

KEEP = "ledgers.keep"  # create and edit the office's ledger rows, attach files, import
CLOSE = "ledgers.close"  # close a petition, approve a housing application, file a submission
REMIND = "ledgers.remind"  # reminded of overdue rows
