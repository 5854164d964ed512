from app.base import make_model

Tag = make_model("Tag", "tags")
Flag = make_model("Flag", "flags")
