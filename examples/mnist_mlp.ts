// The MNIST model of `npm run main` (examples/train_mnist.ts) and of the demo page (demo/page.ts).

import torch, { nn } from "typetorch";

/** Two hidden layers of ReLU units with dropout after each, and ten logits. */
export class MLP extends nn.Module {
  fc1: nn.Linear; fc2: nn.Linear; fc3: nn.Linear; dropout: nn.Dropout;
  constructor(hidden: number) {
    super();
    // 8,000 training digits are few enough to overfit; dropout keeps test accuracy above 95%.
    this.dropout = new nn.Dropout(0.3);
    this.fc1 = new nn.Linear(784, hidden);
    this.fc2 = new nn.Linear(hidden, hidden);
    this.fc3 = new nn.Linear(hidden, 10);
  }
  override forward(x: torch.Tensor): torch.Tensor {
    x = this.dropout.forward(torch.relu(this.fc1.forward(x)));
    x = this.dropout.forward(torch.relu(this.fc2.forward(x)));
    return this.fc3.forward(x);
  }
}
