// Fast neural style (pytorch/examples fast_neural_style: neural_style.py's train() and stylize(),
// with transformer_net.py's TransformerNet, vgg.py's Vgg16 and utils.py's gram_matrix and
// normalize_batch), small: the COCO images are replaced by 4 synthetic 32x32 colour images and the
// style image by synthetic stripes; torchvision's pretrained VGG16 (a download of 138M parameters)
// by its first 23 feature layers as torchvision builds them, initialised as torchvision does from
// the seeded generator; the command line is `train --epochs 1 --batch-size 2 --image-size 32
// --log-interval 1`; the log lines leave out the time, the model is saved in a temporary directory
// under a fixed name, and stylize() prints its output's size and mean. Everything else is the
// example's program, translated by the rules of shared/API.md; tools/examples_py/fast_neural_style.py
// is the same program in Python (its header lists each change), and test/examples.test.ts checks
// that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/fast_neural_style.ts

import torch, { nn, type Tensor } from "typetorch";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixed, print, pyfloat } from "./pyprint.js";

const F = torch.nn.functional;
const { Adam } = torch.optim;
const { DataLoader, TensorDataset } = torch.utils.data;

// ---- transformer_net.py

class ConvLayer extends nn.Module {
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;

  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number) {
    super();
    const reflection_padding = Math.floor(kernel_size / 2);
    this.reflection_pad = new nn.ReflectionPad2d(reflection_padding);
    this.conv2d = new nn.Conv2d(in_channels, out_channels, kernel_size, stride);
  }

  override forward(x: Tensor): Tensor {
    let out = this.reflection_pad(x);
    out = this.conv2d(out);
    return out;
  }
}

/** ResidualBlock
 *  introduced in: https://arxiv.org/abs/1512.03385
 *  recommended architecture: http://torch.ch/blog/2016/02/04/resnets.html */
class ResidualBlock extends nn.Module {
  conv1: ConvLayer;
  in1: nn.InstanceNorm2d;
  conv2: ConvLayer;
  in2: nn.InstanceNorm2d;
  relu = new nn.ReLU();

  constructor(channels: number) {
    super();
    this.conv1 = new ConvLayer(channels, channels, 3, 1);
    this.in1 = new nn.InstanceNorm2d(channels, { affine: true });
    this.conv2 = new ConvLayer(channels, channels, 3, 1);
    this.in2 = new nn.InstanceNorm2d(channels, { affine: true });
  }

  override forward(x: Tensor): Tensor {
    const residual = x;
    let out = this.relu(this.in1(this.conv1(x)));
    out = this.in2(this.conv2(out));
    out = out.add(residual);
    return out;
  }
}

/** UpsampleConvLayer
 *  Upsamples the input and then does a convolution. This method gives better results
 *  compared to ConvTranspose2d.
 *  ref: http://distill.pub/2016/deconv-checkerboard/ */
class UpsampleConvLayer extends nn.Module {
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;

  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number, readonly upsample: number | null = null) {
    super();
    const reflection_padding = Math.floor(kernel_size / 2);
    this.reflection_pad = new nn.ReflectionPad2d(reflection_padding);
    this.conv2d = new nn.Conv2d(in_channels, out_channels, kernel_size, stride);
  }

  override forward(x: Tensor): Tensor {
    let x_in = x;
    if (this.upsample) x_in = torch.nn.functional.interpolate(x_in, { mode: "nearest", scale_factor: this.upsample });
    let out = this.reflection_pad(x_in);
    out = this.conv2d(out);
    return out;
  }
}

class TransformerNet extends nn.Module {
  // Initial convolution layers
  conv1 = new ConvLayer(3, 32, 9, 1);
  in1 = new nn.InstanceNorm2d(32, { affine: true });
  conv2 = new ConvLayer(32, 64, 3, 2);
  in2 = new nn.InstanceNorm2d(64, { affine: true });
  conv3 = new ConvLayer(64, 128, 3, 2);
  in3 = new nn.InstanceNorm2d(128, { affine: true });
  // Residual layers
  res1 = new ResidualBlock(128);
  res2 = new ResidualBlock(128);
  res3 = new ResidualBlock(128);
  res4 = new ResidualBlock(128);
  res5 = new ResidualBlock(128);
  // Upsampling Layers
  deconv1 = new UpsampleConvLayer(128, 64, 3, 1, 2);
  in4 = new nn.InstanceNorm2d(64, { affine: true });
  deconv2 = new UpsampleConvLayer(64, 32, 3, 1, 2);
  in5 = new nn.InstanceNorm2d(32, { affine: true });
  deconv3 = new ConvLayer(32, 3, 9, 1);
  // Non-linearities
  relu = new nn.ReLU();

  override forward(X: Tensor): Tensor {
    let y = this.relu(this.in1(this.conv1(X)));
    y = this.relu(this.in2(this.conv2(y)));
    y = this.relu(this.in3(this.conv3(y)));
    y = this.res1(y);
    y = this.res2(y);
    y = this.res3(y);
    y = this.res4(y);
    y = this.res5(y);
    y = this.relu(this.in4(this.deconv1(y)));
    y = this.relu(this.in5(this.deconv2(y)));
    y = this.deconv3(y);
    return y;
  }
}

// ---- vgg.py, with torchvision's vgg16().features (make_layers(cfgs["D"]) and VGG's initialisation)

function vgg16_features(): nn.Sequential {
  const layers: nn.Module[] = [];
  let in_channels = 3;
  for (const v of [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"] as const) {
    if (v === "M") {
      layers.push(new nn.MaxPool2d({ kernel_size: 2, stride: 2 }));
    } else {
      const conv2d = new nn.Conv2d(in_channels, v, { kernel_size: 3, padding: 1 });
      layers.push(conv2d, new nn.ReLU({ inplace: true }));
      in_channels = v;
    }
  }
  const features = new nn.Sequential(...layers);
  for (const m of features.modules()) {
    if (m instanceof nn.Conv2d) {
      nn.init.kaiming_normal_(m.weight, { mode: "fan_out", nonlinearity: "relu" });
      if (m.bias !== null) nn.init.constant_(m.bias, 0);
    }
  }
  return features;
}

/** namedtuple("VggOutputs", ['relu1_2', 'relu2_2', 'relu3_3', 'relu4_3']) */
type VggOutputs = [Tensor, Tensor, Tensor, Tensor] & { relu1_2: Tensor; relu2_2: Tensor; relu3_3: Tensor; relu4_3: Tensor };

class Vgg16 extends nn.Module {
  slice1 = new nn.Sequential();
  slice2 = new nn.Sequential();
  slice3 = new nn.Sequential();
  slice4 = new nn.Sequential();

  constructor(requires_grad = false) {
    super();
    const vgg_pretrained_features = vgg16_features();
    for (let x = 0; x < 4; x++) this.slice1.add_module(String(x), vgg_pretrained_features.get(x));
    for (let x = 4; x < 9; x++) this.slice2.add_module(String(x), vgg_pretrained_features.get(x));
    for (let x = 9; x < 16; x++) this.slice3.add_module(String(x), vgg_pretrained_features.get(x));
    for (let x = 16; x < 23; x++) this.slice4.add_module(String(x), vgg_pretrained_features.get(x));
    if (!requires_grad) {
      for (const param of this.parameters()) param.requires_grad = false;
    }
  }

  override forward(X: Tensor): VggOutputs {
    let h = this.slice1(X);
    const h_relu1_2 = h;
    h = this.slice2(h);
    const h_relu2_2 = h;
    h = this.slice3(h);
    const h_relu3_3 = h;
    h = this.slice4(h);
    const h_relu4_3 = h;
    return Object.assign([h_relu1_2, h_relu2_2, h_relu3_3, h_relu4_3] as [Tensor, Tensor, Tensor, Tensor],
      { relu1_2: h_relu1_2, relu2_2: h_relu2_2, relu3_3: h_relu3_3, relu4_3: h_relu4_3 });
  }
}

// ---- utils.py

function gram_matrix(y: Tensor): Tensor {
  const [b, ch, h, w] = y.size() as readonly number[] as [number, number, number, number];
  const features = y.view(b, ch, w * h);
  const features_t = features.transpose(1, 2);
  const gram = features.bmm(features_t).div(ch * h * w);
  return gram;
}

function normalize_batch(batch: Tensor): Tensor {
  // normalize using imagenet mean and std
  const mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1);
  const std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1);
  batch = batch.div_(255.0);
  return batch.sub(mean).div(std);
}

// ---- the images: in place of ImageFolder, load_image and the transforms (ToTensor, then x.mul(255))

/** n smooth random colour images of size x size, pixels in [0, 255] */
function synthetic_images(n: number, size: number, seed: number): Tensor {
  const g = new torch.Generator().manual_seed(seed);
  return F.interpolate(torch.rand(n, 3, 4, 4, { generator: g }), { size: [size, size], mode: "bilinear", align_corners: false }).mul(255);
}

/** the style image: diagonal stripes of three colours, pixels in [0, 255] */
function stripes(size: number): Tensor {
  const i = torch.arange(size, { dtype: torch.long }); // (a JS number is no int: shared/API.md §4)
  const band = i.view(-1, 1).add(i.view(1, -1)).floor_divide(4).remainder(3);
  const colours = torch.tensor([[230., 60., 40.], [40., 90., 200.], [250., 220., 60.]]);
  return colours.index(band).permute(2, 0, 1);
}

// ---- neural_style.py

interface Args { epochs: number; batch_size: number; image_size: number; save_model_dir: string; seed: number;
  content_weight: number; style_weight: number; lr: number; log_interval: number; model: string }

function train(args: Args): string {
  const device = torch.device("cpu");

  torch.manual_seed(args.seed);

  const train_dataset = new TensorDataset(synthetic_images(4, args.image_size, 1), torch.zeros(4, { dtype: torch.long }));
  const train_loader = new DataLoader(train_dataset, { batch_size: args.batch_size });

  const transformer = new TransformerNet().to(device);
  const optimizer = new Adam(transformer.parameters(), args.lr);
  const mse_loss = new nn.MSELoss();

  const vgg = new Vgg16(false).to(device);
  let style = stripes(args.image_size);
  style = style.repeat(args.batch_size, 1, 1, 1).to(device);

  const features_style = vgg(normalize_batch(style));
  const gram_style = features_style.map((y) => gram_matrix(y));

  for (let e = 0; e < args.epochs; e++) {
    transformer.train();
    let agg_content_loss = 0.;
    let agg_style_loss = 0.;
    let count = 0;
    let batch_id = 0;
    for (let [x] of train_loader) {
      const n_batch = x.length;
      count += n_batch;
      optimizer.zero_grad();

      x = x.to(device);
      let y = transformer(x);

      y = normalize_batch(y);
      x = normalize_batch(x);

      const features_y = vgg(y);
      const features_x = vgg(x);

      const content_loss = mse_loss(features_y.relu2_2, features_x.relu2_2).mul(args.content_weight);

      let style_loss: Tensor | number = 0.;
      features_y.forEach((ft_y, i) => {
        const gm_y = gram_matrix(ft_y);
        style_loss = torch.add(style_loss, mse_loss(gm_y, gram_style[i]!.index(torch.slice(null, n_batch), torch.slice(), torch.slice())));
      });
      style_loss = (style_loss as unknown as Tensor).mul(args.style_weight);

      const total_loss = content_loss.add(style_loss);
      total_loss.backward();
      optimizer.step();

      agg_content_loss += content_loss.item();
      agg_style_loss += style_loss.item();

      if ((batch_id + 1) % args.log_interval === 0) {
        const mesg = `Epoch ${e + 1}:\t[${count}/${train_dataset.length}]\tcontent: ${fixed(agg_content_loss / (batch_id + 1), 6)}\t` +
          `style: ${fixed(agg_style_loss / (batch_id + 1), 6)}\ttotal: ${fixed((agg_content_loss + agg_style_loss) / (batch_id + 1), 6)}`;
        print(mesg);
      }
      batch_id++;
    }
  }

  // save model
  transformer.eval().cpu();
  const save_model_filename = `epoch_${args.epochs}_${pyfloat(args.content_weight)}_${pyfloat(args.style_weight)}.model`;
  const save_model_path = join(args.save_model_dir, save_model_filename);
  torch.save(transformer.state_dict(), save_model_path);

  print("\nDone, trained model saved at", save_model_filename);
  return save_model_path;
}

function stylize(args: Args): void {
  const device = torch.device("cpu");

  let content_image = synthetic_images(1, args.image_size, 2).index(0);
  content_image = content_image.unsqueeze(0).to(device);

  const output = torch.no_grad(() => {
    const style_model = new TransformerNet();
    const state_dict = torch.load(args.model);
    style_model.load_state_dict(state_dict);
    style_model.to(device);
    style_model.eval();
    return style_model(content_image).cpu();
  });
  const img = output.index(0).clone().clamp(0, 255);
  print("stylized:", [...img.shape], `mean ${fixed(img.mean().item(), 4)}`);
}

const args: Args = { epochs: 1, batch_size: 2, image_size: 32, save_model_dir: "", seed: 42, content_weight: 1e5, style_weight: 1e10,
  lr: 1e-3, log_interval: 1, model: "" };
args.save_model_dir = mkdtempSync(join(tmpdir(), "fast_neural_style-"));
try {
  args.model = train(args);
  stylize(args);
} finally {
  rmSync(args.save_model_dir, { recursive: true }); // as Python's TemporaryDirectory
}
