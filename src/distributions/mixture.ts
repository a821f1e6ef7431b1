// torch.distributions.MixtureSameFamily (mixture_same_family.py): a Categorical mixture over the
// rightmost batch dimension of a component distribution.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, type DistOpts, type SampleShape } from "./distribution.js";
import { Categorical } from "./families.js";
import { sizeStr } from "../core/printing.js";

export class MixtureSameFamily extends Distribution {
  _mixture_distribution!: Categorical;
  _component_distribution!: Distribution;
  _num_component!: number;
  _event_ndims!: number;
  constructor(mixture_distribution: Categorical, component_distribution: Distribution, opts: DistOpts = {}) {
    super();
    if (!(mixture_distribution instanceof Categorical)) {
      throw new Error(" The Mixture distribution needs to be an  instance of torch.distributions.Categorical");
    }
    if (!(component_distribution instanceof Distribution)) {
      throw new Error("The Component distribution needs to be an instance of torch.distributions.Distribution");
    }
    this._mixture_distribution = mixture_distribution;
    this._component_distribution = component_distribution;
    const mdbs = mixture_distribution.batch_shape, cdbs = component_distribution.batch_shape.slice(0, -1);
    for (let i = mdbs.length - 1, j = cdbs.length - 1; i >= 0 && j >= 0; i--, j--) {
      const a = mdbs[i]!, b = cdbs[j]!;
      if (a !== 1 && b !== 1 && a !== b) {
        throw new Error(`\`mixture_distribution.batch_shape\` (${sizeStr(mdbs)}) is not compatible with \`component_distribution.batch_shape\`(${sizeStr(cdbs)})`);
      }
    }
    const logits = mixture_distribution.logits;
    const km = logits.shape[logits.ndim - 1]!, kc = component_distribution.batch_shape[component_distribution.batch_shape.length - 1];
    if (kc !== undefined && km !== kc) {
      throw new Error(`\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`);
    }
    this._num_component = km;
    this._event_ndims = component_distribution.event_shape.length;
    this._init(cdbs, component_distribution.event_shape, opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return {}; }
  override get support(): C.Constraint { return new C.MixtureSameFamilyConstraint(this._component_distribution.support); }
  get mixture_distribution(): Categorical { return this._mixture_distribution; }
  get component_distribution(): Distribution { return this._component_distribution; }
  override expand(batch_shape: readonly number[]): MixtureSameFamily {
    const n = this._newInstance();
    n._component_distribution = this._component_distribution.expand([...batch_shape, this._num_component]);
    n._mixture_distribution = this._mixture_distribution.expand(batch_shape);
    n._num_component = this._num_component;
    n._event_ndims = this._event_ndims;
    this._finishExpand(n, batch_shape, n._component_distribution.event_shape);
    return n;
  }
  override get mean() {
    const probs = this._pad_mixture_dimensions(this.mixture_distribution.probs);
    return torch.sum(probs.mul(this.component_distribution.mean), -1 - this._event_ndims);
  }
  override get variance() {
    const probs = this._pad_mixture_dimensions(this.mixture_distribution.probs);
    const meanCondVar = torch.sum(probs.mul(this.component_distribution.variance), -1 - this._event_ndims);
    const varCondMean = torch.sum(probs.mul(this.component_distribution.mean.sub(this._pad(this.mean)).pow(2.0)), -1 - this._event_ndims);
    return meanCondVar.add(varCondMean);
  }
  override cdf(x: Tensor): Tensor {
    const cdfX = this.component_distribution.cdf(this._pad(x));
    return torch.sum(cdfX.mul(this.mixture_distribution.probs), -1);
  }
  override log_prob(x: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(x);
    const logProbX = this.component_distribution.log_prob(this._pad(x));
    const logMixProb = torch.log_softmax(this.mixture_distribution.logits, -1);
    return torch.logsumexp(logProbX.add(logMixProb), -1);
  }
  override sample(sample_shape?: SampleShape): Tensor {
    return torch.no_grad(() => {
      const ss = sample_shape === undefined ? [] : typeof sample_shape === "number" ? [sample_shape] : [...sample_shape];
      const gatherDim = ss.length + this._batch_shape.length;
      const es = this._event_shape;
      const mixSample = this.mixture_distribution.sample(ss);
      const mixShape = mixSample.shape.slice();
      const compSamples = this.component_distribution.sample(ss);
      const r = mixSample.reshape([...mixShape, ...Array<number>(es.length + 1).fill(1)])
        .repeat([...Array<number>(mixShape.length).fill(1), 1, ...es]);
      return torch.gather(compSamples, gatherDim, r).squeeze(gatherDim);
    });
  }
  _pad(x: Tensor): Tensor { return x.unsqueeze(-1 - this._event_ndims); }
  _pad_mixture_dimensions(x: Tensor): Tensor {
    const distBatch = this._batch_shape.length, catBatch = this.mixture_distribution.batch_shape.length;
    const padNdims = catBatch === 1 ? 0 : distBatch - catBatch;
    const xs = x.shape;
    return x.reshape([...xs.slice(0, -1), ...Array<number>(padNdims).fill(1), xs[xs.length - 1]!, ...Array<number>(this._event_ndims).fill(1)]);
  }
  override toString(): string {
    return `MixtureSameFamily(\n  ${String(this.mixture_distribution)},\n  ${String(this.component_distribution)})`;
  }
}
