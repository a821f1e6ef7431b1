# "Learn the Basics: Datasets & DataLoaders" (pytorch/tutorials beginner_source/basics/data_tutorial.py;
# BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors), seeded (torch.manual_seed(0)). The
# FashionMNIST download is replaced by _vision.py's FakeFashionMNIST and ToTensor, the plots by
# printing what they show (each sample's index, title and image shape; the batch's first image's
# shape), and the tutorial's CustomImageDataset, which it defines but never loads, is run on the six
# small images of examples/data/fashion_small (binary PGM files read by _vision.py's read_image, its
# labels.csv read with the csv module where the tutorial uses pandas, which reads the same first row
# as its header), with a transform and the one-hot target_transform of the Transforms page, through a
# DataLoader. Everything else is the tutorial's program.
import os
import csv

import torch
from torch.utils.data import Dataset

from _vision import FakeFashionMNIST as FashionMNIST, ToTensor, Lambda, read_image, write_small_files, SMALL

torch.manual_seed(0)

training_data = FashionMNIST(
    root="data",
    train=True,
    download=True,
    transform=ToTensor()
)

test_data = FashionMNIST(
    root="data",
    train=False,
    download=True,
    transform=ToTensor()
)

# Iterating and Visualizing the Dataset
labels_map = {
    0: "T-Shirt",
    1: "Trouser",
    2: "Pullover",
    3: "Dress",
    4: "Coat",
    5: "Sandal",
    6: "Shirt",
    7: "Sneaker",
    8: "Bag",
    9: "Ankle Boot",
}
cols, rows = 3, 3
for i in range(1, cols * rows + 1):
    sample_idx = torch.randint(len(training_data), size=(1,)).item()
    img, label = training_data[sample_idx]
    print(f"subplot {i}: sample {sample_idx}, title {labels_map[label]}, image {img.squeeze().shape}")


# Creating a Custom Dataset for your files
class CustomImageDataset(Dataset):
    def __init__(self, annotations_file, img_dir, transform=None, target_transform=None):
        with open(annotations_file, newline="") as f:
            self.img_labels = list(csv.reader(f))[1:]
        self.img_dir = img_dir
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.img_labels)

    def __getitem__(self, idx):
        img_path = os.path.join(self.img_dir, self.img_labels[idx][0])
        image = read_image(img_path)
        label = int(self.img_labels[idx][1])
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


# Preparing your data for training with DataLoaders
from torch.utils.data import DataLoader

train_dataloader = DataLoader(training_data, batch_size=64, shuffle=True)
test_dataloader = DataLoader(test_data, batch_size=64, shuffle=True)

# Iterate through the DataLoader
# Display image and label.
train_features, train_labels = next(iter(train_dataloader))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
img = train_features[0].squeeze()
label = train_labels[0]
print(f"Image: {img.shape}, mean {img.mean():.6f}")
print(f"Label: {label}")
print(f"Batches: {len(train_dataloader)} training, {len(test_dataloader)} test, of {len(train_dataloader.dataset)} and {len(test_dataloader.dataset)} samples")

# The custom dataset on files
write_small_files()
custom = CustomImageDataset(
    os.path.join(SMALL, "labels.csv"), os.path.join(SMALL, "img"),
    transform=Lambda(lambda image: image.float() / 255),
    target_transform=Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1)),
)
print(f"CustomImageDataset: {len(custom)} images")
image, label = custom[2]
print(image.shape, image.dtype, f"{image.sum():.4f}", label)
for images, labels in DataLoader(custom, batch_size=4, shuffle=True):
    print(images.shape, labels.argmax(1), images.mean((1, 2, 3)))
