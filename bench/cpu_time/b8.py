import torch, time
import torch.nn as nn
torch.manual_seed(0); torch.set_num_threads(1)
V,H,E,S,B=10000,200,200,35,20
enc=nn.Embedding(V,E); rnn=nn.LSTM(E,H,2,dropout=0.2); dec=nn.Linear(H,V); drop=nn.Dropout(0.2)
params=list(enc.parameters())+list(rnn.parameters())+list(dec.parameters())
opt=torch.optim.SGD(params, lr=20); crit=nn.CrossEntropyLoss()
x=torch.randint(0,V,(S,B)); y=torch.randint(0,V,(S*B,))
hidden=(torch.zeros(2,B,H),torch.zeros(2,B,H))
def step():
    global hidden
    hidden=tuple(h.detach() for h in hidden)
    opt.zero_grad()
    out,hidden=rnn(drop(enc(x)),hidden)
    loss=crit(dec(drop(out)).view(-1,V),y)
    loss.backward(); torch.nn.utils.clip_grad_norm_(params,0.25); opt.step()
for i in range(2): step()
N=5; c0=time.process_time(); t0=time.perf_counter()
for i in range(N): step()
print(f"B8 torch: wall {(time.perf_counter()-t0)/N*1000:.2f} ms/step, cpu {(time.process_time()-c0)/N*1000:.2f} ms/step")
