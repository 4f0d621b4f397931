"""Outreach services, by sub-domain: partners, letter_templates, letters (drafting, the
approval and clearance gates, sending, answers), follow_ups (the daily job), intents
(letters of intent, their PDF and signed copy) and materials (the library)."""
