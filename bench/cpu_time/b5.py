import torch, time, resource
torch.manual_seed(0); torch.set_num_threads(1)
m = torch.nn.Sequential(torch.nn.Linear(784,512), torch.nn.ReLU(), torch.nn.Linear(512,512), torch.nn.ReLU(), torch.nn.Linear(512,10))
x = torch.randn(128,784); y = torch.randint(0,10,(128,))
lf = torch.nn.CrossEntropyLoss(); opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
def step():
  opt.zero_grad(); lf(m(x), y).backward(); opt.step()
for i in range(10): step()
N=50; c0=time.process_time(); t0=time.perf_counter()
for i in range(N): step()
print(f"B5 torch: wall {(time.perf_counter()-t0)/N*1000:.2f} ms/step, cpu {(time.process_time()-c0)/N*1000:.2f} ms/step")
