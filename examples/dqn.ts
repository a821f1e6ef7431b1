// Reinforcement Learning (DQN) Tutorial (the PyTorch tutorial reinforcement_q_learning.py), small:
// gymnasium's CartPole-v1 is replaced by cartpole.ts's (the same equations; the starts drawn from a
// torch.Generator); the tutorial's commented-out seeding is in; Python's random draws from torch's
// generator instead (random.random(), env.action_space.sample(), random.sample of the replay
// memory), so that both programs draw the same; the plot is printed, and at the end the networks'
// Q-values for the first start. Everything else is the tutorial's program, translated by the rules
// of shared/API.md; tools/examples_py/dqn.py is the same program in Python (its header lists each
// change), and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/dqn.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";
import { CartPole } from "./cartpole.js";

const F = torch.nn.functional;

const env = new CartPole();

// if GPU is to be used
const device = torch.device(
  torch.cuda.is_available() ? "cuda"
  : torch.backends.mps.is_available() ? "mps"
  : "cpu",
);

// To ensure reproducibility during training, you can fix the random seeds
// by uncommenting the lines below. This makes the results consistent across
// runs, which is helpful for debugging or comparing different approaches.
//
// That said, allowing randomness can be beneficial in practice, as it lets
// the model explore different training trajectories.

const seed = 42;
torch.manual_seed(seed);
env.reset({ seed });
if (torch.cuda.is_available()) torch.cuda.manual_seed(seed);

/** namedtuple('Transition', ('state', 'action', 'next_state', 'reward')) */
interface Transition { state: Tensor; action: Tensor; next_state: Tensor | null; reward: Tensor }

class ReplayMemory {
  memory: Transition[] = [];

  constructor(readonly capacity: number) {}

  /** Save a transition (the deque drops its oldest past maxlen) */
  push(state: Tensor, action: Tensor, next_state: Tensor | null, reward: Tensor): void {
    this.memory.push({ state, action, next_state, reward });
    if (this.memory.length > this.capacity) this.memory.shift();
  }

  sample(batch_size: number): Transition[] {
    return (torch.randperm(this.memory.length).index(torch.slice(null, batch_size)).tolist() as number[]).map((i) => this.memory[i]!);
  }

  get length(): number {
    return this.memory.length;
  }
}

class DQN extends nn.Module {
  layer1: nn.Linear;
  layer2: nn.Linear;
  layer3: nn.Linear;

  constructor(n_observations: number, n_actions: number) {
    super();
    this.layer1 = new nn.Linear(n_observations, 128);
    this.layer2 = new nn.Linear(128, 128);
    this.layer3 = new nn.Linear(128, n_actions);
  }

  // Called with either one element to determine next action, or a batch
  // during optimization. Returns tensor([[left0exp,right0exp]...]).
  override forward(x: Tensor): Tensor {
    x = F.relu(this.layer1(x));
    x = F.relu(this.layer2(x));
    return this.layer3(x);
  }
}

// BATCH_SIZE is the number of transitions sampled from the replay buffer
// GAMMA is the discount factor as mentioned in the previous section
// EPS_START is the starting value of epsilon
// EPS_END is the final value of epsilon
// EPS_DECAY controls the rate of exponential decay of epsilon, higher means a slower decay
// TAU is the update rate of the target network
// LR is the learning rate of the ``AdamW`` optimizer

const BATCH_SIZE = 128;
const GAMMA = 0.99;
const EPS_START = 0.9;
const EPS_END = 0.01;
const EPS_DECAY = 2500;
const TAU = 0.005;
const LR = 3e-4;

// Get number of actions from gym action space
const n_actions = 2;
// Get the number of state observations
const [state0] = env.reset();
const n_observations = state0.data.length;

const policy_net = new DQN(n_observations, n_actions).to(device);
const target_net = new DQN(n_observations, n_actions).to(device);
target_net.load_state_dict(policy_net.state_dict());

const optimizer = new optim.AdamW(policy_net.parameters(), { lr: LR, amsgrad: true });
const memory = new ReplayMemory(10000);

let steps_done = 0;

function select_action(state: Tensor): Tensor {
  const sample = torch.rand([]).item();
  const eps_threshold = EPS_END + (EPS_START - EPS_END) * Math.exp((-1 * steps_done) / EPS_DECAY);
  steps_done += 1;
  if (sample > eps_threshold) {
    return torch.no_grad(() =>
      // t.max(1) will return the largest column value of each row.
      // second column on max result is index of where max element was
      // found, so we pick action with the larger expected reward.
      policy_net(state).max(1).indices.view(1, 1));
  } else {
    return torch.tensor([[torch.randint(n_actions, []).item()]], { device, dtype: torch.long });
  }
}

const episode_durations: number[] = [];

function plot_durations(show_result = false): void {
  const durations_t = torch.tensor(episode_durations, { dtype: torch.float });
  if (show_result) print("Result: mean duration", pyfloat(durations_t.mean().item()));
  else print("Training... episode", durations_t.length, "duration", Math.trunc(durations_t.index(-1).item()));
}

function optimize_model(): void {
  if (memory.length < BATCH_SIZE) return;
  const transitions = memory.sample(BATCH_SIZE);
  // Transpose the batch: the Transitions' fields as arrays
  const batch = {
    state: transitions.map((t) => t.state), action: transitions.map((t) => t.action),
    next_state: transitions.map((t) => t.next_state), reward: transitions.map((t) => t.reward),
  };

  // Compute a mask of non-final states and concatenate the batch elements
  // (a final state would've been the one after which simulation ended)
  const non_final_mask = torch.tensor(batch.next_state.map((s) => s !== null), { device, dtype: torch.bool });
  const non_final_next_states = torch.cat(batch.next_state.filter((s): s is Tensor => s !== null));
  const state_batch = torch.cat(batch.state);
  const action_batch = torch.cat(batch.action);
  const reward_batch = torch.cat(batch.reward);

  // Compute Q(s_t, a) - the model computes Q(s_t), then we select the
  // columns of actions taken. These are the actions which would've been taken
  // for each batch state according to policy_net
  const state_action_values = policy_net(state_batch).gather(1, action_batch);

  // Compute V(s_{t+1}) for all next states.
  // Expected values of actions for non_final_next_states are computed based
  // on the "older" target_net; selecting their best reward with max(1).values
  // This is merged based on the mask, such that we'll have either the expected
  // state value or 0 in case the state was final.
  const next_state_values = torch.zeros(BATCH_SIZE, { device });
  torch.no_grad(() => {
    next_state_values.index_put_([non_final_mask], target_net(non_final_next_states).max(1).values);
  });
  // Compute the expected Q values
  const expected_state_action_values = next_state_values.mul(GAMMA).add(reward_batch);

  // Compute Huber loss
  const criterion = new nn.SmoothL1Loss();
  const loss = criterion(state_action_values, expected_state_action_values.unsqueeze(1));

  // Optimize the model
  optimizer.zero_grad();
  loss.backward();
  // In-place gradient clipping
  torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100);
  optimizer.step();
}

const num_episodes = torch.cuda.is_available() || torch.backends.mps.is_available() ? 600 : 50;

for (let i_episode = 0; i_episode < num_episodes; i_episode++) {
  // Initialize the environment and get its state
  const [obs] = env.reset();
  let state: Tensor | null = torch.tensor(obs, { dtype: torch.float32, device }).unsqueeze(0);
  for (let t = 0; ; t++) {
    const action = select_action(state!);
    const [observation, r, terminated, truncated] = env.step(action.item());
    const reward = torch.tensor([r], { device });
    const done = terminated || truncated;

    let next_state: Tensor | null;
    if (terminated) next_state = null;
    else next_state = torch.tensor(observation, { dtype: torch.float32, device }).unsqueeze(0);

    // Store the transition in memory
    memory.push(state!, action, next_state, reward);

    // Move to the next state
    state = next_state;

    // Perform one step of the optimization (on the policy network)
    optimize_model();

    // Soft update of the target network's weights
    // θ′ ← τ θ + (1 −τ )θ′
    const target_net_state_dict = target_net.state_dict();
    const policy_net_state_dict = policy_net.state_dict();
    for (const key in policy_net_state_dict) {
      target_net_state_dict[key] = policy_net_state_dict[key]!.mul(TAU).add(target_net_state_dict[key]!.mul(1 - TAU));
    }
    target_net.load_state_dict(target_net_state_dict);

    if (done) {
      episode_durations.push(t + 1);
      plot_durations();
      break;
    }
  }
}

print("Complete");
plot_durations(true);
// the trained networks' Q-values for the environment's first start
torch.no_grad(() => {
  const start = torch.tensor(env.reset({ seed })[0], { dtype: torch.float32 }).unsqueeze(0);
  print(policy_net(start), target_net(start));
});
