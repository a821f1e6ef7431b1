// REINFORCE on CartPole (pytorch/examples reinforcement_learning/reinforce.py): gymnasium's
// CartPole-v1 is replaced by cartpole.ts's (the same equations; the starts drawn from a
// torch.Generator), the command line by its defaults, and the run stops after 50 episodes
// (args.episodes) instead of when solved. Everything else is the example's program, translated by
// the rules of shared/API.md; tools/examples_py/reinforce.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/reinforce.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, print, pyfloat } from "./pyprint.js";
import { CartPole, type Observation } from "./cartpole.js";

const F = torch.nn.functional;
const { Categorical } = torch.distributions;

const args = { gamma: 0.99, seed: 543, render: false, log_interval: 10, episodes: 50 };

const env = new CartPole();
env.reset({ seed: args.seed });
torch.manual_seed(args.seed);

class Policy extends nn.Module {
  affine1 = new nn.Linear(4, 128);
  dropout = new nn.Dropout({ p: 0.6 });
  affine2 = new nn.Linear(128, 2);

  saved_log_probs: Tensor[] = [];
  rewards: number[] = [];

  override forward(x: Tensor): Tensor {
    x = this.affine1(x);
    x = this.dropout(x);
    x = F.relu(x);
    const action_scores = this.affine2(x);
    return F.softmax(action_scores, { dim: 1 });
  }
}

const policy = new Policy();
const optimizer = new optim.Adam(policy.parameters(), { lr: 1e-2 });
const eps = torch.finfo(torch.float32).eps;

function select_action(obs: Observation): number {
  const state = torch.from_numpy(obs).float().unsqueeze(0);
  const probs = policy(state);
  const m = new Categorical(probs);
  const action = m.sample();
  policy.saved_log_probs.push(m.log_prob(action));
  return action.item();
}

function finish_episode(): void {
  let R = 0;
  const policy_loss: Tensor[] = [];
  const returns_: number[] = [];
  for (const r of [...policy.rewards].reverse()) {
    R = r + args.gamma * R;
    returns_.unshift(R);
  }
  let returns = torch.tensor(returns_);
  returns = returns.sub(returns.mean()).div(returns.std().add(eps));
  policy.saved_log_probs.forEach((log_prob, i) => {
    policy_loss.push(log_prob.neg().mul(returns.index(i)));
  });
  optimizer.zero_grad();
  const loss = torch.cat(policy_loss).sum();
  loss.backward();
  optimizer.step();
  policy.rewards.length = 0;
  policy.saved_log_probs.length = 0;
}

function main(): void {
  let running_reward = 10;
  for (let i_episode = 1; ; i_episode++) {
    let [state] = env.reset();
    let ep_reward = 0;
    let t = 1;
    for (; t < 10000; t++) { // Don't infinite loop while learning
      const action = select_action(state);
      let reward: number, terminated: boolean, truncated: boolean;
      [state, reward, terminated, truncated] = env.step(action);
      policy.rewards.push(reward);
      ep_reward += reward;
      if (terminated || truncated) break;
    }

    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward;
    finish_episode();
    if (i_episode % args.log_interval === 0) {
      print(`Episode ${i_episode}\tLast reward: ${fixed(ep_reward, 2)}\tAverage reward: ${fixed(running_reward, 2)}`);
    }
    if (running_reward > env.spec.reward_threshold) {
      print(`Solved! Running reward is now ${pyfloat(running_reward)} and the last episode runs to ${t} time steps!`);
      break;
    }
    if (i_episode === args.episodes) break;
  }
}

main();
