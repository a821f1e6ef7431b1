// CartPole-v1 for the reinforcement-learning examples, in place of gymnasium's: the same
// equations, constants, termination and rewards (gymnasium/envs/classic_control/cartpole.py, Euler
// integration, 500-step limit, reward threshold 475), observations as float32 arrays (ndarray-like,
// for torch.from_numpy); only the reset draws from a torch.Generator instead of NumPy's, so that
// tools/examples_py/_cartpole.py, the same in Python, draws the same starts.

import torch from "typetorch";

/** A float32 observation, as gymnasium returns it (a NumPy array; here what torch.from_numpy takes). */
export interface Observation { data: Float32Array; shape: number[] }

const observation = (state: readonly number[]): Observation => ({ data: Float32Array.from(state), shape: [4] });

export class CartPole {
  gravity = 9.8;
  masscart = 1.0;
  masspole = 0.1;
  total_mass = this.masspole + this.masscart;
  length = 0.5; // actually half the pole's length
  polemass_length = this.masspole * this.length;
  force_mag = 10.0;
  tau = 0.02; // seconds between state updates
  theta_threshold_radians = (12 * 2 * Math.PI) / 360;
  x_threshold = 2.4;
  max_episode_steps = 500;

  spec = { reward_threshold: 475.0 };
  generator = new torch.Generator();
  state: number[] = [];
  steps = 0;

  reset({ seed }: { seed?: number } = {}): [Observation, object] {
    if (seed !== undefined) this.generator.manual_seed(seed);
    this.state = torch.rand(4, { generator: this.generator, dtype: torch.float64 }).mul(0.1).sub(0.05).tolist() as number[];
    this.steps = 0;
    return [observation(this.state), {}];
  }

  step(action: number): [Observation, number, boolean, boolean, object] {
    let [x, x_dot, theta, theta_dot] = this.state as [number, number, number, number];
    const force = action === 1 ? this.force_mag : -this.force_mag;
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const temp = (force + this.polemass_length * theta_dot ** 2 * sintheta) / this.total_mass;
    const thetaacc = (this.gravity * sintheta - costheta * temp) /
      (this.length * (4.0 / 3.0 - (this.masspole * costheta ** 2) / this.total_mass));
    const xacc = temp - (this.polemass_length * thetaacc * costheta) / this.total_mass;
    x = x + this.tau * x_dot;
    x_dot = x_dot + this.tau * xacc;
    theta = theta + this.tau * theta_dot;
    theta_dot = theta_dot + this.tau * thetaacc;
    this.state = [x, x_dot, theta, theta_dot];
    this.steps += 1;
    const terminated = x < -this.x_threshold || x > this.x_threshold ||
      theta < -this.theta_threshold_radians || theta > this.theta_threshold_radians;
    const truncated = this.steps >= this.max_episode_steps;
    return [observation(this.state), 1.0, terminated, truncated, {}];
  }
}
