import torch, time
import torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0); torch.set_num_threads(1)
V,L,NH,D,T,B=65,4,4,128,64,16
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1=nn.LayerNorm(D); s.ln2=nn.LayerNorm(D); s.qkv=nn.Linear(D,3*D); s.proj=nn.Linear(D,D); s.fc=nn.Linear(D,4*D); s.out=nn.Linear(4*D,D)
    def forward(s,x):
        q,k,v=[t.view(B,T,NH,D//NH).transpose(1,2) for t in s.qkv(s.ln1(x)).split(D,2)]
        y=F.scaled_dot_product_attention(q,k,v,is_causal=True).transpose(1,2).contiguous().view(B,T,D)
        x=x+s.proj(y)
        return x+s.out(F.gelu(s.fc(s.ln2(x))))
tok=nn.Embedding(V,D); pos=nn.Embedding(T,D); blocks=nn.ModuleList([Block() for _ in range(L)]); lnf=nn.LayerNorm(D); head=nn.Linear(D,V)
model=nn.ModuleList([tok,pos,blocks,lnf,head]); opt=torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
x=torch.randint(0,V,(B,T)); y=torch.randint(0,V,(B,T)); p=torch.arange(T)
def step():
    opt.zero_grad(); h=tok(x)+pos(p)
    for b in blocks: h=b(h)
    F.cross_entropy(head(lnf(h)).view(-1,V), y.view(-1)).backward(); opt.step()
for i in range(2): step()
N=5; c0=time.process_time(); t0=time.perf_counter()
for i in range(N): step()
print(f"B7 torch: wall {(time.perf_counter()-t0)/N*1000:.2f} ms/step, cpu {(time.process_time()-c0)/N*1000:.2f} ms/step")
