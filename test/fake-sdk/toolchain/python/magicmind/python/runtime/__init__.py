"""TEST DOUBLE of magicmind.python.runtime: just what infergate's build_magicmind.py calls, as
strict as the samples imply. Building writes a small text artifact that the fake runtime
(test/fake-sdk/neuware) loads: the input's batch (fixed, or -1 when graph_shape_mutable), size,
type (UINT8 once insert_bn_before_firstnode moved normalisation in, as the real builder does)
and layout (NHWC after convert_input_layout). Never shipped; never imported by infergate itself.
"""
import json
import os

import numpy as np

PRECISIONS = {"force_float32", "force_float16", "qint8_mixed_float16", "qint16_mixed_float16", "qint8_mixed_float32"}


class Code:
    OK = 0
    OUT_OF_RANGE = 11
    INVALID_ARGUMENT = 3
    NOT_FOUND = 5


class Status:
    def __init__(self, code=Code.OK, message=""):
        self.code, self.message = code, message

    def ok(self):
        return self.code == Code.OK

    def __str__(self):
        return "OK" if self.ok() else f"error {self.code}: {self.message}"


class ModelKind:
    kOnnx = "onnx"


class DataType:
    FLOAT32 = "FLOAT32"
    UINT8 = "UINT8"


class QuantizationAlgorithm:
    LINEAR_ALGORITHM = "linear"
    EQM_ALGORITHM = "eqm"


class Dims:
    def __init__(self, dims):
        self.dims = [int(d) for d in dims]


class _Input:
    def __init__(self):
        self.dims = None

    def set_dimension(self, dims):
        if len(dims.dims) != 4:
            raise ValueError("the fake network has one NCHW image input")
        self.dims = dims.dims


class Network:
    def __init__(self):
        self._source = None
        self._input = _Input()
        self._calibrated = False

    def get_input(self, index):
        if index != 0:
            raise IndexError("the fake network has one input")
        return self._input


class BuilderConfig:
    def __init__(self):
        self.values = {}

    def parse_from_string(self, text):
        try:
            self.values.update(json.loads(text))
        except ValueError as e:
            return Status(Code.INVALID_ARGUMENT, f"config is not JSON: {e}")
        return Status()


class CalibDataInterface:
    def __init__(self):
        pass


class Calibrator:
    def __init__(self, data):
        if not isinstance(data, list) or len(data) != 1:
            raise TypeError("Calibrator takes a list: one data source per network input")
        self.data = data[0]
        self.algorithm = None

    def set_quantization_algorithm(self, algorithm):
        self.algorithm = algorithm
        return Status()

    def calibrate(self, network, config):
        if not _System.active or _Device.active_id is None:
            return Status(Code.INVALID_ARGUMENT, "calibration needs an activated MLU device inside mm.System()")
        shape = self.data.get_shape().dims
        if shape != network.get_input(0).dims:
            return Status(Code.INVALID_ARGUMENT, f"calibration shape {shape} differs from the network input {network.get_input(0).dims}")
        self.data.reset()
        batches = 0
        while self.data.next().ok():
            sample = self.data.get_sample()
            if list(sample.shape) != shape or sample.dtype != np.float32:
                return Status(Code.INVALID_ARGUMENT, f"calibration sample {sample.shape} {sample.dtype}, expected {shape} float32")
            if float(np.abs(sample).max()) > 20:
                return Status(Code.INVALID_ARGUMENT, "calibration data is not normalised: the calibrator sees the original network input")
            batches += 1
        if not batches:
            return Status(Code.OUT_OF_RANGE, "no calibration batch")
        network._calibrated = True
        return Status()


class _System:
    active = False

    def __enter__(self):
        _System.active = True
        return self

    def __exit__(self, *exc):
        _System.active = False
        _Device.active_id = None
        return False


System = _System


class _Device:
    active_id = None

    def __init__(self):
        self.id = 0

    def active(self):
        _Device.active_id = self.id
        return Status()


Device = _Device


class _Model:
    def __init__(self, text):
        self.text = text

    def serialize_to_file(self, path):
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(self.text)
        os.replace(tmp, path)
        return Status()


class Builder:
    def build_model(self, name, network, config):
        v = config.values
        if network._source is None or network.get_input(0).dims is None:
            return None
        if "mtp_372" not in v.get("archs", []):
            return None
        precision = v.get("precision_config", {}).get("precision_mode")
        if precision not in PRECISIONS or (precision.startswith("qint") and not network._calibrated):
            return None
        n, c, h, w = network.get_input(0).dims
        bn = v.get("insert_bn_before_firstnode", {}).get("0")
        if bn is not None and (len(bn.get("mean", [])) != c or len(bn.get("var", [])) != c):
            return None
        layout = v.get("convert_input_layout", {}).get("0", {"dst": "NCHW"})["dst"]
        batch = -1 if v.get("graph_shape_mutable") else n
        lines = ["FAKE-MAGICMIND-MODEL 1", f"name={name}", f"precision={precision}", f"batch={batch}", f"height={h}", f"width={w}",
                 f"input_dtype={'UINT8' if bn is not None else 'FLOAT32'}", f"input_layout={layout}", f"source={network._source}"]
        return _Model("\n".join(lines) + "\n")
