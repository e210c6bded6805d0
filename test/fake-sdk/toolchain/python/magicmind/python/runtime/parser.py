"""TEST DOUBLE: magicmind.python.runtime.parser.Parser (ONNX only)."""
import os

from . import ModelKind, Status, Code


class Parser:
    def __init__(self, kind):
        if kind != ModelKind.kOnnx:
            raise ValueError("the fake parser reads ONNX only")

    def parse(self, network, path):
        if not os.path.isfile(path):
            return Status(Code.NOT_FOUND, f"cannot open {path}")
        with open(path, "rb") as f:
            if not f.read(64):
                return Status(Code.INVALID_ARGUMENT, f"{path} is empty")
        network._source = path
        return Status()
