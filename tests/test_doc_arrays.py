from presslens.extract.doc_arrays import children, sentence_bounds, subtree, subtree_has, token_attr


def test_arrays_equal_the_token_attributes(nlp):
    doc = nlp("Jane Doe said the plan failed.\n\nThe U.S. Senate voted on Tuesday, NASA said. It passed!")
    for name in ("text", "lower_", "lemma_", "ent_type_", "pos_", "dep_", "is_title", "is_upper", "is_space", "is_alpha",
                 "is_lower", "is_stop", "is_punct", "idx"):
        assert token_attr(doc, name) == [getattr(t, name) for t in doc]
        assert token_attr(doc, name) is token_attr(doc, name)  # built once per Doc
        assert [type(v) for v in token_attr(doc, name)] == [type(getattr(t, name)) for t in doc]
    assert sentence_bounds(doc) == [(t.sent.start, t.sent.end) for t in doc]
    assert children(doc) == [[c.i for c in t.children] for t in doc]
    for t in doc:
        below = {s.i for s in t.subtree}
        assert subtree(children(doc), t.i) == below
        assert all(subtree_has(children(doc), t.i, {k}) == (k in below) for k in range(len(doc)))


def test_per_doc_builds_once(nlp):
    from presslens.extract.doc_arrays import per_doc

    doc = nlp("One short text.")
    calls = []
    assert per_doc(doc, "n", lambda d: calls.append(1) or len(d)) == len(doc)
    assert per_doc(doc, "n", lambda d: calls.append(1) or 0) == len(doc) and calls == [1]


def test_an_analysed_doc_keeps_nothing_and_is_freed_without_the_collector(nlp):
    """The build pauses the cyclic garbage collector: a Doc held in a cycle by what the extractors keep
    on it would never be freed there."""
    import gc
    import weakref

    from presslens.extract.batch import analyze_doc

    text = ('"We will reopen the office," the mayor, Jane Doe, said on Thursday. She said more was to come.\n\n'
            "The City Council of Springfield met. According to the council, the vote waits.")
    was_on = gc.isenabled()
    gc.disable()
    try:
        doc = nlp(text)
        rows = analyze_doc(doc)
        assert rows["quotes"] and rows["mentions"]
        assert not [k for k in doc.user_data if isinstance(k, tuple) and k[:1] == ("presslens",)]
        ref = weakref.ref(doc)
        del doc
        assert ref() is None
    finally:
        if was_on:
            gc.enable()
