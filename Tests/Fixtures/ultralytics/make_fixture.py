#!/usr/bin/env python3
"""Writes tiny-yolov8.pt: a checkpoint pickled the way Ultralytics pickles yolov8n.pt, for DigitMl's tests.

Ultralytics' yolov8n.pt is `torch.save` of a dict whose 'model' entry is a whole pickled DetectionModel object
(half precision), not a bare state dict. This script defines stand-in classes under the module names and with
the attribute names Ultralytics uses (ultralytics.nn.tasks.DetectionModel holding ultralytics.nn.modules.conv.Conv,
block.C2f/Bottleneck/SPPF/DFL, head.Detect, conv.Concat and torch.nn modules), builds the yolov8.yaml layer table at
a tiny width (DigitMl's test scale: depth 0.33, width 0.0625), and saves the dict as Ultralytics' trainer leaves it
after strip_optimizer ({'model': model.half(), 'ema': None, 'epoch': -1, ...}). The pickle therefore references the
same globals and the same object layout as a real Ultralytics checkpoint. No Ultralytics code or weights are used:
the weights are random (seeded).

It also writes tiny-yolov8.expected.json: every state-dict entry (name, dtype, shape, SHA-256 of its bytes) and the
eval-mode output [1, 4 + nc, anchors] for a fixed 64x64 input, computed with the stored fp16 weights in float32;
and views-state-dict.pt (+ .expected.json): a bare state dict whose tensors are views (transposed, at an offset).

Run with Debian's PyTorch (apt-get install -y python3-torch; 1.13.1): /usr/bin/python3 make_fixture.py
"""
import copy
import hashlib
import json
import math
import os
import sys
import types

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
NC = 10
SCALE = [0.33, 0.0625, 1024]  # depth, width, max channels of DigitMl's `tiny` scale (yolov8n is [0.33, 0.25, 1024])


def _module(name):
    mod = types.ModuleType(name)
    sys.modules[name] = mod
    return mod


for _name in ("ultralytics", "ultralytics.nn", "ultralytics.nn.modules"):
    _module(_name)
CONV, BLOCK, HEAD, TASKS = (_module("ultralytics.nn.modules.conv"), _module("ultralytics.nn.modules.block"),
                            _module("ultralytics.nn.modules.head"), _module("ultralytics.nn.tasks"))


def lives_in(mod):
    """Makes pickle record the class as mod.Name, as it does for Ultralytics' own classes."""
    def place(cls):
        cls.__module__ = mod.__name__
        setattr(mod, cls.__name__, cls)
        return cls
    return place


def autopad(k, p=None, d=1):
    if d > 1:
        k = d * (k - 1) + 1 if isinstance(k, int) else [d * (x - 1) + 1 for x in k]
    if p is None:
        p = k // 2 if isinstance(k, int) else [x // 2 for x in k]
    return p


@lives_in(CONV)
class Conv(nn.Module):
    default_act = nn.SiLU()

    def __init__(self, c1, c2, k=1, s=1, p=None, g=1, d=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, autopad(k, p, d), groups=g, dilation=d, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = self.default_act if act is True else act if isinstance(act, nn.Module) else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


@lives_in(CONV)
class Concat(nn.Module):
    def __init__(self, dimension=1):
        super().__init__()
        self.d = dimension

    def forward(self, x):
        return torch.cat(x, self.d)


@lives_in(BLOCK)
class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, g=1, k=(3, 3), e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, k[0], 1)
        self.cv2 = Conv(c_, c2, k[1], 1, g=g)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        return x + self.cv2(self.cv1(x)) if self.add else self.cv2(self.cv1(x))


@lives_in(BLOCK)
class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, g=1, e=0.5):
        super().__init__()
        self.c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * self.c, 1, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut, g, k=((3, 3), (3, 3)), e=1.0) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


@lives_in(BLOCK)
class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_ * 4, c2, 1, 1)
        self.m = nn.MaxPool2d(kernel_size=k, stride=1, padding=k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        y.extend(self.m(y[-1]) for _ in range(3))
        return self.cv2(torch.cat(y, 1))


@lives_in(BLOCK)
class DFL(nn.Module):
    def __init__(self, c1=16):
        super().__init__()
        self.conv = nn.Conv2d(c1, 1, 1, bias=False).requires_grad_(False)
        x = torch.arange(c1, dtype=torch.float)
        self.conv.weight.data[:] = nn.Parameter(x.view(1, c1, 1, 1))
        self.c1 = c1

    def forward(self, x):
        b, _, a = x.shape
        return self.conv(x.view(b, 4, self.c1, a).transpose(2, 1).softmax(1)).view(b, 4, a)


def make_anchors(feats, strides, grid_cell_offset=0.5):
    anchor_points, stride_tensor = [], []
    dtype, device = feats[0].dtype, feats[0].device
    for i, stride in enumerate(strides):
        _, _, h, w = feats[i].shape
        sx = torch.arange(end=w, device=device, dtype=dtype) + grid_cell_offset
        sy = torch.arange(end=h, device=device, dtype=dtype) + grid_cell_offset
        sy, sx = torch.meshgrid(sy, sx, indexing="ij")
        anchor_points.append(torch.stack((sx, sy), -1).view(-1, 2))
        stride_tensor.append(torch.full((h * w, 1), stride, dtype=dtype, device=device))
    return torch.cat(anchor_points), torch.cat(stride_tensor)


def dist2bbox(distance, anchor_points, xywh=True, dim=-1):
    lt, rb = distance.chunk(2, dim)
    x1y1 = anchor_points - lt
    x2y2 = anchor_points + rb
    if xywh:
        return torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), dim)
    return torch.cat((x1y1, x2y2), dim)


@lives_in(HEAD)
class Detect(nn.Module):
    dynamic = False
    export = False
    shape = None
    anchors = torch.empty(0)
    strides = torch.empty(0)

    def __init__(self, nc=80, ch=()):
        super().__init__()
        self.nc = nc
        self.nl = len(ch)
        self.reg_max = 16
        self.no = nc + self.reg_max * 4
        self.stride = torch.zeros(self.nl)
        c2, c3 = max((16, ch[0] // 4, self.reg_max * 4)), max(ch[0], min(self.nc, 100))
        self.cv2 = nn.ModuleList(
            nn.Sequential(Conv(x, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * self.reg_max, 1)) for x in ch)
        self.cv3 = nn.ModuleList(nn.Sequential(Conv(x, c3, 3), Conv(c3, c3, 3), nn.Conv2d(c3, self.nc, 1)) for x in ch)
        self.dfl = DFL(self.reg_max) if self.reg_max > 1 else nn.Identity()

    def forward(self, x):
        shape = x[0].shape
        for i in range(self.nl):
            x[i] = torch.cat((self.cv2[i](x[i]), self.cv3[i](x[i])), 1)
        if self.training:
            return x
        if self.dynamic or self.shape != shape:
            self.anchors, self.strides = (t.transpose(0, 1) for t in make_anchors(x, self.stride, 0.5))
            self.shape = shape
        x_cat = torch.cat([xi.view(shape[0], self.no, -1) for xi in x], 2)
        box, cls = x_cat.split((self.reg_max * 4, self.nc), 1)
        dbox = dist2bbox(self.dfl(box), self.anchors.unsqueeze(0), xywh=True, dim=1) * self.strides
        return torch.cat((dbox, cls.sigmoid()), 1), x

    def bias_init(self):
        for a, b, s in zip(self.cv2, self.cv3, self.stride):
            a[-1].bias.data[:] = 1.0
            b[-1].bias.data[: self.nc] = math.log(5 / self.nc / (640 / s) ** 2)


def make_divisible(x, divisor):
    return math.ceil(x / divisor) * divisor


YOLOV8_YAML = {
    "nc": NC,
    "scales": {"tiny": SCALE},
    "scale": "tiny",
    "backbone": [
        [-1, 1, "Conv", [64, 3, 2]], [-1, 1, "Conv", [128, 3, 2]], [-1, 3, "C2f", [128, True]],
        [-1, 1, "Conv", [256, 3, 2]], [-1, 6, "C2f", [256, True]], [-1, 1, "Conv", [512, 3, 2]],
        [-1, 6, "C2f", [512, True]], [-1, 1, "Conv", [1024, 3, 2]], [-1, 3, "C2f", [1024, True]],
        [-1, 1, "SPPF", [1024, 5]],
    ],
    "head": [
        [-1, 1, "nn.Upsample", [None, 2, "nearest"]], [[-1, 6], 1, "Concat", [1]], [-1, 3, "C2f", [512]],
        [-1, 1, "nn.Upsample", [None, 2, "nearest"]], [[-1, 4], 1, "Concat", [1]], [-1, 3, "C2f", [256]],
        [-1, 1, "Conv", [256, 3, 2]], [[-1, 12], 1, "Concat", [1]], [-1, 3, "C2f", [512]],
        [-1, 1, "Conv", [512, 3, 2]], [[-1, 9], 1, "Concat", [1]], [-1, 3, "C2f", [1024]],
        [[15, 18, 21], 1, "Detect", ["nc"]],
    ],
}


def parse_model(d, ch):
    nc = d["nc"]
    depth, width, max_channels = d["scales"][d["scale"]]
    kinds = {"Conv": Conv, "C2f": C2f, "SPPF": SPPF, "Concat": Concat, "Detect": Detect, "nn.Upsample": nn.Upsample}
    ch = [ch]
    layers, save, c2 = [], [], ch[-1]
    for i, (f, n, m, args) in enumerate(d["backbone"] + d["head"]):
        m = kinds[m]
        args = [nc if a == "nc" else a for a in args]
        n = max(round(n * depth), 1) if n > 1 else n
        if m in (Conv, C2f, SPPF):
            c1, c2 = ch[f], args[0]
            c2 = make_divisible(min(c2, max_channels) * width, 8)
            args = [c1, c2, *args[1:]]
            if m is C2f:
                args.insert(2, n)
                n = 1
        elif m is Concat:
            c2 = sum(ch[x] for x in f)
        elif m is Detect:
            args.append([ch[x] for x in f])
        else:
            c2 = ch[f]
        m_ = nn.Sequential(*(m(*args) for _ in range(n))) if n > 1 else m(*args)
        t = str(m)[8:-2].replace("__main__.", "")
        m_.np = sum(x.numel() for x in m_.parameters())
        m_.i, m_.f, m_.type = i, f, t
        save.extend(x % i for x in ([f] if isinstance(f, int) else f) if x != -1)
        layers.append(m_)
        if i == 0:
            ch = []
        ch.append(c2)
    return nn.Sequential(*layers), sorted(save)


@lives_in(TASKS)
class DetectionModel(nn.Module):
    def __init__(self, cfg, ch=3):
        super().__init__()
        self.yaml = cfg
        self.model, self.save = parse_model(copy.deepcopy(cfg), ch)
        self.names = {i: f"{i}" for i in range(cfg["nc"])}
        self.inplace = True
        m = self.model[-1]
        s = 256
        m.inplace = True
        m.stride = torch.tensor([s / x.shape[-2] for x in self.forward(torch.zeros(1, ch, s, s))])
        self.stride = m.stride
        m.bias_init()
        for module in self.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.eps = 1e-3
                module.momentum = 0.03
            elif isinstance(module, nn.SiLU):
                module.inplace = True

    def forward(self, x):
        y = []
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x


def main():
    torch.manual_seed(0)
    model = DetectionModel(YOLOV8_YAML)
    with torch.no_grad():  # trained-looking statistics, so that every entry of the file has values of its own
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.1)
                module.running_mean.normal_(0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(1234)
    model.args = {"task": "detect", "mode": "train", "imgsz": 64, "epochs": 1, "batch": 16}
    model.eval()

    image = torch.linspace(0, 1, 3 * 64 * 64).view(1, 3, 64, 64)
    stored = copy.deepcopy(model).half()       # what the checkpoint holds
    reference = copy.deepcopy(stored).float()  # the same values, computed in float32
    with torch.no_grad():
        output, _ = reference(image)  # an eval pass, as validation leaves one: sets Detect.anchors/strides/shape
        stored.model[-1].anchors, stored.model[-1].strides = reference.model[-1].anchors, reference.model[-1].strides
        stored.model[-1].shape = reference.model[-1].shape

    checkpoint = {
        "date": "2026-12-01T00:00:00",
        "version": "8.1.0",
        "epoch": -1,
        "best_fitness": None,
        "model": stored,
        "ema": None,
        "updates": None,
        "optimizer": None,
        "train_args": dict(model.args, model="yolov8.yaml", data="digits.yaml"),
        "train_metrics": {"metrics/mAP50(B)": 0.5, "fitness": 0.25},
        "train_results": None,
    }
    torch.save(checkpoint, os.path.join(HERE, "tiny-yolov8.pt"))

    entries = []
    for name, tensor in stored.state_dict().items():
        data = tensor.contiguous().numpy().tobytes()
        entries.append({"name": name, "dtype": str(tensor.dtype).replace("torch.", ""), "shape": list(tensor.shape),
                        "sha256": hashlib.sha256(data).hexdigest()})
    expected = {
        "torch": torch.__version__,
        "nc": NC,
        "names": [stored.names[i] for i in range(NC)],
        "scale": SCALE,
        "input": "torch.linspace(0, 1, 3 * 64 * 64).view(1, 3, 64, 64)",
        "output_shape": list(output.shape),
        "output": [float(v) for v in output.flatten()],
        "state_dict": entries,
    }
    with open(os.path.join(HERE, "tiny-yolov8.expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    # a bare state dict with views (a transposed tensor, a slice at an offset): torch.save stores the whole storage
    base = torch.arange(12, dtype=torch.float32)
    views = {"transposed": base[:6].view(2, 3).t(), "sliced": base[4:10].view(3, 2), "counter": torch.tensor(7)}
    torch.save(views, os.path.join(HERE, "views-state-dict.pt"))
    with open(os.path.join(HERE, "views-state-dict.expected.json"), "w", encoding="utf-8") as f:
        json.dump({k: {"shape": list(v.shape), "values": v.flatten().tolist()} for k, v in views.items()}, f, indent=1)
        f.write("\n")

    print(f"wrote tiny-yolov8.pt ({os.path.getsize(os.path.join(HERE, 'tiny-yolov8.pt'))} bytes), "
          f"{len(entries)} state-dict entries, output {list(output.shape)}")


if __name__ == "__main__":
    main()
