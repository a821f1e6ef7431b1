# CartPole-v1 for the reinforcement-learning examples, in place of gymnasium's: the same
# equations, constants, termination and rewards (gymnasium/envs/classic_control/cartpole.py, Euler
# integration, 500-step limit, reward threshold 475), observations as float32 arrays; only the
# reset draws from a torch.Generator instead of NumPy's, so that examples/cartpole.ts can draw the
# same starts. (The leading underscore keeps tools/gen_examples_golden.py from running it.)
import math
from types import SimpleNamespace

import numpy as np
import torch


class CartPole:
    gravity = 9.8
    masscart = 1.0
    masspole = 0.1
    total_mass = masspole + masscart
    length = 0.5  # actually half the pole's length
    polemass_length = masspole * length
    force_mag = 10.0
    tau = 0.02  # seconds between state updates
    theta_threshold_radians = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    max_episode_steps = 500

    def __init__(self):
        self.spec = SimpleNamespace(reward_threshold=475.0)
        self.generator = torch.Generator()
        self.state = None

    def reset(self, seed=None):
        if seed is not None:
            self.generator.manual_seed(seed)
        self.state = (torch.rand(4, generator=self.generator, dtype=torch.float64) * 0.1 - 0.05).tolist()
        self.steps = 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        temp = (force + self.polemass_length * theta_dot**2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = [x, x_dot, theta, theta_dot]
        self.steps += 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        truncated = self.steps >= self.max_episode_steps
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}
