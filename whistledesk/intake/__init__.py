"""The public side: guidance, the disclosure form, receipts and the anonymous follow-up inbox."""
