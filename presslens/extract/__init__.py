"""The per-article layer: pure functions from one parsed spaCy Doc to rows, one module per idea.

quotemarks (the one pairing of quotation marks), voice (narration vs quoted words), cues (reporting
verbs), quotes (who said what), mentions (named entities), sentences (VADER per sentence),
readability (textstat), batch (the unit of work: texts in, rows out). Only the pipeline and the
engines import this layer; it never imports the corpus tables above it.
"""
