// pytorch/examples vision_transformer/main.py (a ViT: images cut into patches by Tensor.unfold,
// a class token and positional embedding, encoder blocks of LayerNorm, nn.MultiheadAttention and a
// GELU MLP, trained with Adam) on CIFAR10-shaped synthetic data: torchvision's CIFAR10 is replaced
// by fake_cifar10 (3x32x32 images in [0, 1] as ToTensor gives them, 10 classes, each a fixed random
// prototype of its class plus noise; 64 for training and 32 for validation, from seeded
// generators), the command line by its defaults but for a smaller model and run (32x32 images in
// patches of 8, latent size 64, 4 heads, 2 encoders, 2 epochs), tqdm's progress bars (stderr) are
// left out, the weights go to the system's temporary directory, and the run is seeded. Everything
// else is the example's program, translated by the rules of shared/API.md;
// tools/examples_py/vision_transformer.py is the same program in Python, and test/examples.test.ts
// checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/vision_transformer.ts

import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, optim, type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";

const { DataLoader, TensorDataset } = torch.utils.data;

interface Args {
  no_cuda: boolean; patch_size: number; latent_size: number; n_channels: number; num_heads: number;
  num_encoders: number; dropout: number; img_size: number; num_classes: number; epochs: number;
  lr: number; weight_decay: number; batch_size: number; dry_run: boolean;
}

class PatchExtractor extends nn.Module {
  constructor(readonly patch_size = 16) { super(); }

  override forward(input_data: Tensor): Tensor {
    const [batch_size, , height, width] = input_data.size();
    if (!(height! % this.patch_size === 0 && width! % this.patch_size === 0))
      throw new Error(`Input height (${height}) and width (${width}) must be divisible by patch size (${this.patch_size})`);

    const num_patches_h = Math.floor(height! / this.patch_size);
    const num_patches_w = Math.floor(width! / this.patch_size);
    const num_patches = num_patches_h * num_patches_w;

    const patches = input_data.unfold(2, this.patch_size, this.patch_size)
      .unfold(3, this.patch_size, this.patch_size)
      .permute(0, 2, 3, 1, 4, 5)
      .contiguous()
      .view(batch_size!, num_patches, -1);

    // Expected shape of a patch on default settings is (4, 196, 768)

    return patches;
  }
}

class InputEmbedding extends nn.Module {
  patch_size: number; n_channels: number; latent_size: number; device: torch.device; batch_size: number; input_size: number;
  LinearProjection: nn.Linear; class_token: nn.Parameter; pos_embedding: nn.Parameter;

  constructor(args: Args) {
    super();
    this.patch_size = args.patch_size;
    this.n_channels = args.n_channels;
    this.latent_size = args.latent_size;
    const use_cuda = !args.no_cuda && torch.cuda.is_available();
    this.device = torch.device(use_cuda ? "cuda" : "cpu");
    this.batch_size = args.batch_size;
    this.input_size = this.patch_size * this.patch_size * this.n_channels;

    // Linear projection
    this.LinearProjection = new nn.Linear(this.input_size, this.latent_size);
    // Class token
    this.class_token = new nn.Parameter(torch.randn(this.batch_size, 1, this.latent_size).to(this.device));
    // Positional embedding
    this.pos_embedding = new nn.Parameter(torch.randn(this.batch_size, 1, this.latent_size).to(this.device));
  }

  override forward(input_data: Tensor): Tensor {
    input_data = input_data.to(this.device);
    // Patchifying the Image
    const patchify = new PatchExtractor(this.patch_size);
    const patches = patchify(input_data);

    let linear_projection = this.LinearProjection(patches).to(this.device);
    const [, n] = linear_projection.shape as number[];
    linear_projection = torch.cat([this.class_token, linear_projection], { dim: 1 });
    const pos_embed = this.pos_embedding.index(torch.slice(null), torch.slice(null, n! + 1), torch.slice(null));
    linear_projection.add_(pos_embed);

    return linear_projection;
  }
}

class EncoderBlock extends nn.Module {
  latent_size: number; num_heads: number; dropout: number;
  norm: nn.LayerNorm; attention: nn.MultiheadAttention; enc_MLP: nn.Sequential;

  constructor(args: Args) {
    super();

    this.latent_size = args.latent_size;
    this.num_heads = args.num_heads;
    this.dropout = args.dropout;
    this.norm = new nn.LayerNorm(this.latent_size);
    this.attention = new nn.MultiheadAttention(this.latent_size, this.num_heads, { dropout: this.dropout });
    this.enc_MLP = new nn.Sequential(
      new nn.Linear(this.latent_size, this.latent_size * 4),
      new nn.GELU(),
      new nn.Dropout(this.dropout),
      new nn.Linear(this.latent_size * 4, this.latent_size),
      new nn.Dropout(this.dropout),
    );
  }

  override forward(emb_patches: Tensor): Tensor {
    const first_norm = this.norm(emb_patches);
    const attention_out = this.attention(first_norm, first_norm, first_norm)[0]!;
    const first_added = attention_out.add(emb_patches);
    const second_norm = this.norm(first_added);
    const mlp_out = this.enc_MLP(second_norm);
    const output = mlp_out.add(first_added);

    return output;
  }
}

class ViT extends nn.Module {
  num_encoders: number; latent_size: number; num_classes: number; dropout: number;
  embedding: InputEmbedding; encoders: nn.ModuleList<EncoderBlock>; MLPHead: nn.Sequential;

  constructor(args: Args) {
    super();

    this.num_encoders = args.num_encoders;
    this.latent_size = args.latent_size;
    this.num_classes = args.num_classes;
    this.dropout = args.dropout;

    this.embedding = new InputEmbedding(args);
    // Encoder Stack
    this.encoders = new nn.ModuleList(Array.from({ length: this.num_encoders }, () => new EncoderBlock(args)));
    this.MLPHead = new nn.Sequential(
      new nn.LayerNorm(this.latent_size),
      new nn.Linear(this.latent_size, this.latent_size),
      new nn.Linear(this.latent_size, this.num_classes),
    );
  }

  override forward(test_input: Tensor): Tensor {
    let enc_output = this.embedding(test_input);
    for (const enc_layer of this.encoders) enc_output = enc_layer(enc_output);

    const class_token_embed = enc_output.index(torch.slice(null), 0);
    return this.MLPHead(class_token_embed);
  }
}

type Loader = torch.utils.data.DataLoader<Tensor[], Tensor[], torch.utils.data.TensorDataset>;

class TrainEval {
  epoch: number;

  constructor(readonly args: Args, readonly model: ViT, readonly train_dataloader: Loader, readonly val_dataloader: Loader,
    readonly optimizer: optim.Optimizer, readonly criterion: nn.CrossEntropyLoss, readonly device: torch.device) {
    this.epoch = args.epochs;
  }

  train_fn(_current_epoch: number): number {
    this.model.train();
    let total_loss = 0.0;

    for (const data of this.train_dataloader) {
      let [images, labels] = data as [Tensor, Tensor];
      [images, labels] = [images.to(this.device), labels.to(this.device)];
      this.optimizer.zero_grad();
      const logits = this.model(images);
      const loss = this.criterion(logits, labels);
      loss.backward();
      this.optimizer.step();

      total_loss += loss.item();
      if (this.args.dry_run) break;
    }

    return total_loss / this.train_dataloader.length;
  }

  eval_fn(_current_epoch: number): number {
    this.model.eval();
    let total_loss = 0.0;

    for (const data of this.val_dataloader) {
      let [images, labels] = data as [Tensor, Tensor];
      [images, labels] = [images.to(this.device), labels.to(this.device)];

      const logits = this.model(images);
      const loss = this.criterion(logits, labels);

      total_loss += loss.item();
      if (this.args.dry_run) break;
    }

    return total_loss / this.val_dataloader.length;
  }

  train(): void {
    let best_valid_loss = Infinity;
    let best_train_loss = Infinity;
    for (let i = 0; i < this.epoch; i++) {
      const train_loss = this.train_fn(i);
      const val_loss = this.eval_fn(i);

      if (val_loss < best_valid_loss) {
        torch.save(this.model.state_dict(), join(tmpdir(), "best-weights.pt"));
        print("Saved Best Weights");
        best_valid_loss = val_loss;
        best_train_loss = train_loss;
      }
    }
    print(`Training Loss : ${pyfloat(best_train_loss)}`);
    print(`Valid Loss : ${pyfloat(best_valid_loss)}`);
  }
}

/** CIFAR10-shaped images in [0, 1] (what ToTensor gives) and labels. */
function fake_cifar10(n: number, seed: number): torch.utils.data.TensorDataset {
  const g = new torch.Generator().manual_seed(seed);
  const prototypes = torch.rand(10, 3, 32, 32, { generator: new torch.Generator().manual_seed(0) });
  const labels = torch.randint(10, [n], { generator: g });
  const images = prototypes.index(labels).mul(0.5).add(torch.rand(n, 3, 32, 32, { generator: g }).mul(0.5));
  return new TensorDataset(images, labels);
}

function main(): void {
  // the example's defaults, but for --patch-size 8 --latent-size 64 --num-heads 4
  // --num-encoders 2 --img-size 32 --epochs 2
  const args: Args = { no_cuda: true, patch_size: 8, latent_size: 64, n_channels: 3, num_heads: 4,
    num_encoders: 2, dropout: 0.1, img_size: 32, num_classes: 10, epochs: 2,
    lr: 1e-2, weight_decay: 3e-2, batch_size: 4, dry_run: false };
  torch.manual_seed(0);

  const use_cuda = !args.no_cuda && torch.cuda.is_available();
  const device = torch.device(use_cuda ? "cuda" : "cpu");

  const train_data = fake_cifar10(64, 1);
  const valid_data = fake_cifar10(32, 2);
  const train_loader = new DataLoader(train_data, { batch_size: args.batch_size, shuffle: true });
  const valid_loader = new DataLoader(valid_data, { batch_size: args.batch_size, shuffle: true });

  const model = new ViT(args).to(device);

  const optimizer = new optim.Adam(model.parameters(), { lr: args.lr, weight_decay: args.weight_decay });
  const criterion = new nn.CrossEntropyLoss();

  new TrainEval(args, model, train_loader, valid_loader, optimizer, criterion, device).train();
}

main();
