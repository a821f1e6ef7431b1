# "Learn the Basics: Save and Load the Model" (pytorch/tutorials
# beginner_source/basics/saveloadrun_tutorial.py; BSD-3-Clause, Copyright (c) 2017-2024 PyTorch
# contributors), small and seeded: torchvision's vgg16 with its downloaded IMAGENET1K_V1 weights is
# replaced by vgg_tiny below, torchvision's VGG class and make_layers at a fraction of the size (two
# conv blocks of 8 and 16 channels, a 2x2 average pool, a 64-64-10 classifier), whose "pretrained"
# weights are examples/data/vgg_tiny_weights.pth (a state_dict that this script writes when it is
# missing, from a model initialised under torch.manual_seed(1); the committed file is what
# examples/saveloadrun_tutorial.ts reads). The files go to a temporary directory of their own, and the
# program prints what it loads (the model, its outputs on a random batch, whether the weights came
# back exactly). Everything else is the tutorial's program.
import os
import shutil
import tempfile

import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRETRAINED = os.path.join(ROOT, "examples", "data", "vgg_tiny_weights.pth")


class VGG(nn.Module):
    def __init__(self, features, num_classes=10, init_weights=True, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(16 * 2 * 2, 64),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(64, 64),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(64, num_classes),
        )
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.classifier(x)
        return x


def make_layers(cfg, batch_norm=False):
    layers = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            if batch_norm:
                layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            else:
                layers += [conv2d, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


def vgg_tiny(weights=None):
    model = VGG(make_layers([8, "M", 16, "M"]))
    if weights is not None:
        model.load_state_dict(torch.load(PRETRAINED, weights_only=True))
    return model


if not os.path.exists(PRETRAINED):
    torch.manual_seed(1)
    torch.save(vgg_tiny().state_dict(), PRETRAINED)

torch.manual_seed(0)
tmp = tempfile.mkdtemp(prefix="saveloadrun-")
path = lambda name: os.path.join(tmp, name)  # noqa: E731

# Saving and Loading Model Weights
model = vgg_tiny(weights="DEFAULT")
torch.save(model.state_dict(), path("model_weights.pth"))

model = vgg_tiny()  # we do not specify ``weights``, i.e. create untrained model
model.load_state_dict(torch.load(path("model_weights.pth"), weights_only=True))
model.eval()

print(model)
pretrained = torch.load(PRETRAINED, weights_only=True)
print([(k, tuple(v.shape)) for k, v in model.state_dict().items()])
print("weights as saved:", all(torch.equal(v, pretrained[k]) for k, v in model.state_dict().items()))
x = torch.rand(2, 3, 16, 16)
with torch.no_grad():
    out = model(x)
print(out)

# Saving and Loading Models with Shapes
torch.save(model, path("model.pth"))
model = torch.load(path("model.pth"), weights_only=False)
with torch.no_grad():
    print("same outputs:", torch.equal(model(x), out), "training:", model.training)
print(model.classifier)
shutil.rmtree(tmp)
