"""Every write of the assessment app: roadmap (principles, model policies and proposals),
questionnaires (versions, builder, XLSForm exchange), campaigns (launch, reminders, digest,
close, the annual schedule), answering (autosave, assignments, clarifications, submit),
review (return, accept), scoring and reports."""
