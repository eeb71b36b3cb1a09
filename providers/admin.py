"""No admin for the provider register, on purpose: every change goes through the portal's pages,
where a status change needs a reason and recording an inspection refreshes the current judgement."""
