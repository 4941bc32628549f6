"""The per-article layer: pure functions from one parsed spaCy Doc to rows, one module per idea.

quotemarks (the one pairing of quotation marks), voice (narration vs quoted words), cues (reporting
verbs), speakers and quotes (who said what), candidates, credits, entity_rules and mentions (named
entities), gender (the article's evidence of a person's gender), sentences (VADER per sentence), tone
(the words about an entity), readability (textstat), batch (the unit of work: texts in, rows out). Only the pipeline and the
engines import this layer; it never imports the corpus tables above it.
"""
