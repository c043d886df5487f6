#!/usr/bin/python3
"""Writes the small ONNX fixtures of tests/onnx/ (committed; make test needs no
PyTorch). Run with Debian's python3 (python3-torch, python3-onnx):
    /usr/bin/python3 tests/onnx/make_fixtures.py tests/onnx
Expected MACs are written down by hand in tests/onnx/onnx_test.sh."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tiny_cnn(path):
    """A torch export: conv, depthwise (groups), 1x1, dilated conv, pools, Linear."""
    import torch
    from torch import nn

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
            self.pool = nn.MaxPool2d(2)
            self.dw = nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=16, bias=False)
            self.pw = nn.Conv2d(16, 32, 1, bias=False)
            self.dil = nn.Conv2d(32, 8, 3, padding=2, dilation=2, bias=False)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            x = self.pool(torch.relu(self.conv1(x)))
            x = torch.nn.functional.relu6(self.pw(self.dw(x)))
            x = torch.relu(self.dil(x))
            x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
            return self.fc(torch.flatten(x, 1))

    torch.manual_seed(1)
    model = Tiny().eval()
    torch.onnx.export(model, torch.randn(1, 3, 32, 32), path, opset_version=13,
                      input_names=["input"], output_names=["logits"])


def save(graph, path, opset=13):
    model = helper.make_model(graph, producer_name="bitcycle-fixtures",
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7
    onnx.save(model, path)


def weight(name, *shape):
    return numpy_helper.from_array(np.zeros(shape, dtype=np.float32), name)


def mlp_matmul(path):
    """MatMul with a weight matrix, a Constant shape for Reshape, Gemm with
    transB, a symbolic batch dimension."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])
    shape = helper.make_tensor("shape_c", TensorProto.INT64, [2], [-1, 32])
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h"], name="fc1"),
        helper.make_node("Add", ["h", "b1"], ["hb"], name="bias1"),
        helper.make_node("Relu", ["hb"], ["hr"], name="relu1"),
        helper.make_node("Constant", [], ["shape"], name="shape", value=shape),
        helper.make_node("Reshape", ["hr", "shape"], ["hs"], name="reshape"),
        helper.make_node("Gemm", ["hs", "w2"], ["y"], name="fc2", transB=1),
    ]
    g = helper.make_graph(nodes, "mlp", [x], [y], [weight("w1", 16, 32), weight("b1", 32), weight("w2", 10, 32)])
    save(g, path)


def same_pad(path):
    """auto_pad SAME_UPPER with stride 2, AveragePool with ceil_mode, a residual Add."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 15, 15])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], name="same", auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("Sigmoid", ["c1"], ["s1"], name="sig"),
        helper.make_node("Add", ["c1", "s1"], ["a1"], name="residual"),
        helper.make_node("AveragePool", ["a1"], ["p1"], name="pool", kernel_shape=[3, 3], strides=[2, 2],
                         ceil_mode=1),
        helper.make_node("Conv", ["p1", "w2"], ["y"], name="proj", kernel_shape=[1, 1]),
    ]
    g = helper.make_graph(nodes, "same", [x], [y], [weight("w1", 4, 8, 3, 3), weight("w2", 2, 4, 1, 1)])
    save(g, path)


def unsupported(path):
    """An LSTM and an operator of a custom domain: both must be named."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, 1, 16])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [5, 1, 1, 8])
    nodes = [
        helper.make_node("LSTM", ["x", "w", "r"], ["h"], name="lstm_1", hidden_size=8),
        helper.make_node("Foo", ["h"], ["y"], name="custom_1", domain="com.example"),
    ]
    g = helper.make_graph(nodes, "unsupported", [x], [y], [weight("w", 1, 32, 16), weight("r", 1, 32, 8)])
    model = helper.make_model(g, producer_name="bitcycle-fixtures",
                              opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
    model.ir_version = 7
    onnx.save(model, path)


def conv_graph(name, in_shape):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])]
    return helper.make_graph(nodes, name, [x], [y], [weight("w", 4, 3, 3, 3)])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    tiny_cnn(os.path.join(out, "tiny_cnn.onnx"))
    mlp_matmul(os.path.join(out, "mlp_matmul.onnx"))
    same_pad(os.path.join(out, "same_pad.onnx"))
    unsupported(os.path.join(out, "bad_unsupported.onnx"))
    save(conv_graph("opset", [1, 3, 8, 8]), os.path.join(out, "bad_opset99.onnx"), opset=99)
    save(conv_graph("symbolic", [1, 3, "H", 8]), os.path.join(out, "bad_symbolic.onnx"))


if __name__ == "__main__":
    main()
