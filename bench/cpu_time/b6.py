import torch, time
import torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0); torch.set_num_threads(1)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1); self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25); self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128); self.fc2 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = torch.flatten(self.dropout1(F.max_pool2d(x, 2)), 1)
        return F.log_softmax(self.fc2(self.dropout2(F.relu(self.fc1(x)))), 1)
m = Net(); o = torch.optim.Adadelta(m.parameters(), lr=1.0)
x = torch.randn(64,1,28,28); y = torch.randint(0,10,(64,))
def step():
    o.zero_grad(); F.nll_loss(m(x), y).backward(); o.step()
for i in range(3): step()
N=10; c0=time.process_time(); t0=time.perf_counter()
for i in range(N): step()
print(f"B6 torch: wall {(time.perf_counter()-t0)/N*1000:.2f} ms/step, cpu {(time.process_time()-c0)/N*1000:.2f} ms/step")
