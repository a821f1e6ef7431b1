// Actor-critic on CartPole (pytorch/examples reinforcement_learning/actor_critic.py): gymnasium's
// CartPole-v1 is replaced by cartpole.ts's (the same equations; the starts drawn from a
// torch.Generator), the command line by its defaults, and the run stops after 50 episodes
// (args.episodes) instead of when solved. Everything else is the example's program, translated by
// the rules of shared/API.md; tools/examples_py/actor_critic.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/actor_critic.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { fixed, print, pyfloat } from "./pyprint.js";
import { CartPole, type Observation } from "./cartpole.js";

const F = torch.nn.functional;
const { Categorical } = torch.distributions;

// Cart Pole

const args = { gamma: 0.99, seed: 543, render: false, log_interval: 10, episodes: 50 };

const env = new CartPole();
env.reset({ seed: args.seed });
torch.manual_seed(args.seed);

interface SavedAction { log_prob: Tensor; value: Tensor }

/** implements both actor and critic in one model */
class Policy extends nn.Module {
  affine1 = new nn.Linear(4, 128);

  // actor's layer
  action_head = new nn.Linear(128, 2);

  // critic's layer
  value_head = new nn.Linear(128, 1);

  // action & reward buffer
  saved_actions: SavedAction[] = [];
  rewards: number[] = [];

  /** forward of both actor and critic */
  override forward(x: Tensor): [Tensor, Tensor] {
    x = F.relu(this.affine1(x));

    // actor: choses action to take from state s_t
    // by returning probability of each action
    const action_prob = F.softmax(this.action_head(x), { dim: -1 });

    // critic: evaluates being in the state s_t
    const state_values = this.value_head(x);

    // return values for both actor and critic as a tuple of 2 values:
    // 1. a list with the probability of each action over the action space
    // 2. the value from state s_t
    return [action_prob, state_values];
  }
}

const model = new Policy();
const optimizer = new optim.Adam(model.parameters(), { lr: 3e-2 });
const eps = torch.finfo(torch.float32).eps;

function select_action(obs: Observation): number {
  const state = torch.from_numpy(obs).float();
  const [probs, state_value] = model(state);

  // create a categorical distribution over the list of probabilities of actions
  const m = new Categorical(probs);

  // and sample an action using the distribution
  const action = m.sample();

  // save to action buffer
  model.saved_actions.push({ log_prob: m.log_prob(action), value: state_value });

  // the action to take (left or right)
  return action.item();
}

/** Training code. Calculates actor and critic loss and performs backprop. */
function finish_episode(): void {
  let R = 0;
  const saved_actions = model.saved_actions;
  const policy_losses: Tensor[] = []; // list to save actor (policy) loss
  const value_losses: Tensor[] = []; // list to save critic (value) loss
  const returns_: number[] = []; // list to save the true values

  // calculate the true value using rewards returned from the environment
  for (const r of [...model.rewards].reverse()) {
    // calculate the discounted value
    R = r + args.gamma * R;
    returns_.unshift(R);
  }

  let returns = torch.tensor(returns_);
  returns = returns.sub(returns.mean()).div(returns.std().add(eps));

  saved_actions.forEach(({ log_prob, value }, i) => {
    const R = returns.index(i);
    const advantage = R.sub(value.item());

    // calculate actor (policy) loss
    policy_losses.push(log_prob.neg().mul(advantage));

    // calculate critic (value) loss using L1 smooth loss
    value_losses.push(F.smooth_l1_loss(value, torch.tensor([R])));
  });

  // reset gradients
  optimizer.zero_grad();

  // sum up all the values of policy_losses and value_losses
  const loss = torch.stack(policy_losses).sum().add(torch.stack(value_losses).sum());

  // perform backprop
  loss.backward();
  optimizer.step();

  // reset rewards and action buffer
  model.rewards.length = 0;
  model.saved_actions.length = 0;
}

function main(): void {
  let running_reward = 10;

  // run infinitely many episodes
  for (let i_episode = 1; ; i_episode++) {
    // reset environment and episode reward
    let [state] = env.reset();
    let ep_reward = 0;

    // for each episode, only run 9999 steps so that we don't
    // infinite loop while learning
    let t = 1;
    for (; t < 10000; t++) {
      // select action from policy
      const action = select_action(state);

      // take the action
      let reward: number, terminated: boolean, truncated: boolean;
      [state, reward, terminated, truncated] = env.step(action);

      model.rewards.push(reward);
      ep_reward += reward;
      if (terminated || truncated) break;
    }

    // update cumulative reward
    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward;

    // perform backprop
    finish_episode();

    // log results
    if (i_episode % args.log_interval === 0) {
      print(`Episode ${i_episode}\tLast reward: ${fixed(ep_reward, 2)}\tAverage reward: ${fixed(running_reward, 2)}`);
    }

    // check if we have "solved" the cart pole problem
    if (running_reward > env.spec.reward_threshold) {
      print(`Solved! Running reward is now ${pyfloat(running_reward)} and ` +
        `the last episode runs to ${t} time steps!`);
      break;
    }
    if (i_episode === args.episodes) break;
  }
}

main();
