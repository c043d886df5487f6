#!/usr/bin/python3
"""Exports torchvision's ResNet-18, ResNet-50, MobileNetV2 and VGG-16 (random
weights, nothing downloaded) to ONNX and checks that `bitcycle model import`
finds exactly the MACs of the zoo's model of the same name. ResNet-18 is
exported with its parameters (initializers), the others without (weights
become graph inputs with static shapes), which keeps the files small.
usage: peer_torchvision.py BITCYCLE OUTDIR"""
import json
import os
import subprocess
import sys

import torch
import torchvision

CASES = [("resnet18", "resnet18", True), ("resnet50", "resnet50", False),
         ("mobilenet_v2", "mobilenetv2", False), ("vgg16", "vgg16", False)]


def main():
    bc, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    failed = 0
    print("| model | torchvision ONNX MACs/sample | zoo MACs/sample | equal |")
    print("|---|---|---|---|")
    for tv_name, zoo_name, params in CASES:
        path = os.path.join(out, tv_name + ".onnx")
        model = getattr(torchvision.models, tv_name)(weights=None).eval()
        with torch.no_grad():
            torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=13, export_params=params,
                              input_names=["input"], output_names=["logits"])
        imp = json.loads(subprocess.run([bc, "model", "import", "--json", path], check=True,
                                        capture_output=True, text=True).stdout)
        zoo = json.loads(subprocess.run([bc, "model", "show", "--json", zoo_name], check=True,
                                        capture_output=True, text=True).stdout)
        a, b = imp["macs_per_sample"], zoo["macs_per_sample"]
        print(f"| {tv_name} | {a} | {b} | {'yes' if a == b else 'NO'} |")
        failed += a != b
    print(f"peer-onnx: {len(CASES) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
