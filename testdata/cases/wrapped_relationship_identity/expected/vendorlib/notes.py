def annotated(obj, **notes):
    result = obj
    result.info.update(notes)
    return result
