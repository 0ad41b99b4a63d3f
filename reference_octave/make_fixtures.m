% MAKE_FIXTURES  Write every Octave fixture of nnmat's regression suite.
%
%   From the repository root:
%     octave-cli --no-gui --norc --quiet --no-history reference_octave/make_fixtures.m tests/fixtures
%
%   All inputs are built here from sin/cos of index ranges (no random numbers),
%   and each file holds its inputs next to Octave's outputs.  Files are saved with
%   save -v7 (MAT v5), which scipy.io.loadmat reads bit-exactly.

args = argv();
if numel(args) != 1
  error('make_fixtures: usage: octave-cli ... make_fixtures.m OUTPUT_FOLDER');
end
outdir = args{1};
addpath(fileparts(mfilename('fullpath')));
if !exist(outdir, 'dir')
  mkdir(outdir);
end
write = @(name, s) save('-v7', fullfile(outdir, [name '.mat']), '-struct', 's');

% ---------------------------------------------------------------- sigmoid
% A grid through 0 plus large |z| where exp overflows (|z| > ~709) or the
% sigmoid rounds to exactly 1 (z > ~37).
s = struct();
s.z = [-800; -700; -40; -30; linspace(-10, 10, 81)'; 30; 40; 700; 800];
s.g = sigmoid(s.z);
s.gradient = sigmoidGradient(s.z);
write('sigmoid', s);

% ---------------------------------------------------------------- debugInitializeWeights
s = struct();
s.shapes = [5 3; 3 5; 1 1; 4 7; 10 25];   % [fan_out fan_in] per row
for k = 1:rows(s.shapes)
  s.(sprintf('W%d', k)) = debugInitializeWeights(s.shapes(k, 1), s.shapes(k, 2));
end
write('debug_init', s);

% ---------------------------------------------------------------- unrolling, 4 layers
% Entry (i, j) of Theta_l is 100 l + 10 i + j, so nn_params spells out the order.
s = struct();
s.layer_sizes = [3 4 5 2];
Thetas = cell(1, 3);
for l = 1:3
  [J_, I_] = meshgrid(1:s.layer_sizes(l) + 1, 1:s.layer_sizes(l + 1));
  Thetas{l} = 100 * l + 10 * I_ + J_;
  s.(sprintf('Theta%d', l)) = Thetas{l};
end
s.nn_params = unrollParams(Thetas);
write('unroll_4layer', s);

% ---------------------------------------------------------------- cost and gradient
lambdas = [0 1 3 0.5];
e = 1e-4;

% The course grader's style of inputs: a 2-4-4 network, 16 examples.
X = reshape(sin(1:32), 16, 2) / 5;
y = 1 + mod(1:16, 4)';
t1 = sin(reshape(1:2:24, 4, 3));
t2 = cos(reshape(1:2:40, 4, 5));
write('cost_grader', costCase([2 4 4], X, y, [t1(:); t2(:)], lambdas, e));

% checkNNGradients' 3-5-3 network, m = 5, at lambda 0 and 3.
Theta1 = debugInitializeWeights(5, 3);
Theta2 = debugInitializeWeights(3, 5);
X = debugInitializeWeights(5, 2);
y = 1 + mod(1:5, 3)';
write('cost_checknn', costCase([3 5 3], X, y, [Theta1(:); Theta2(:)], [0 3], e));

% One hidden layer, a single example (m = 1): only class 2 is present.
sizes = [4 3 5];
X = cos(1:4) / 2;
write('cost_depth1_m1', costCase(sizes, X, 2, sinWeights(sizes, 0.7, 0.5), lambdas, e));

% One hidden layer, classes 2, 4 and 5 of 6 absent.
sizes = [5 7 6];
X = reshape(cos(0.3 * (1:45)), 9, 5);
y = [1; 3; 6; 6; 1; 3; 3; 6; 1];
write('cost_depth1_absent', costCase(sizes, X, y, sinWeights(sizes, 1.3, 0.4), lambdas, e));

% Two hidden layers, m = 11, all three classes present.
sizes = [4 6 5 3];
X = reshape(sin(0.5 * (1:44)) + cos(0.2 * (1:44)), 11, 4);
y = 1 + mod((1:11)', 3);
write('cost_depth2', costCase(sizes, X, y, sinWeights(sizes, 0.9, 0.6), lambdas, e));

% Two hidden layers, m = 1.
sizes = [3 2 4 2];
X = [0.5 -1.5 2];
write('cost_depth2_m1', costCase(sizes, X, 1, sinWeights(sizes, 2.1, 0.8), lambdas, e));

% Three hidden layers, m = 13, class 2 of 4 absent.
sizes = [6 5 4 3 4];
X = reshape(cos(1.7 * (1:78)), 13, 6);
y = [1; 3; 4; 4; 1; 3; 1; 1; 4; 3; 3; 4; 1];
write('cost_depth3', costCase(sizes, X, y, sinWeights(sizes, 1.1, 0.7), lambdas, e));

% ---------------------------------------------------------------- predict
% Each file: Theta1..ThetaL, X, Octave's labels p and output activations h.

% One hidden layer, 20 examples.
s = struct();
sizes = [4 5 3];
Thetas = rollParams(sinWeights(sizes, 1.5, 1), sizes);
s.Theta1 = Thetas{1}; s.Theta2 = Thetas{2};
s.X = 2 * reshape(sin(1:80), 20, 4);
[s.p, s.h] = predict(Thetas, s.X);
write('predict_depth1', s);

% Exact ties: rows 2 and 3 of the last Theta are equal, so h(:, 2) == h(:, 3)
% bit for bit; where they are the largest (examples 5 and 6), max takes the
% first (label 2).  Other examples go to labels 1 and 4.
s = struct();
s.Theta1 = debugInitializeWeights(5, 4) * 10;
s.Theta2 = [0.2 2 0.1 0 0 0; 0.2 0 0.1 0 2 0; 0.2 0 0.1 0 2 0; 0.2 0 0.1 0 0 2];
s.X = reshape(cos(0.7 * (1:48)), 12, 4);
[s.p, s.h] = predict({s.Theta1, s.Theta2}, s.X);
write('predict_ties', s);

% Saturation ties: outputs 1 and 2 differ before the sigmoid but both round
% to exactly 1.0 after it, so the label is 1 even though z(:, 2) > z(:, 1).
s = struct();
s.Theta1 = [0 1 0; 0 0 1];
s.Theta2 = [40 0 0; 50 0 0; -40 1 1];
s.X = reshape(sin(1:14), 7, 2);
[s.p, s.h] = predict({s.Theta1, s.Theta2}, s.X);
write('predict_saturated', s);

% Three hidden layers (four Thetas), one example.
s = struct();
sizes = [5 4 6 3 7];
Thetas = rollParams(sinWeights(sizes, 0.61, 1.5), sizes);
for l = 1:numel(Thetas)
  s.(sprintf('Theta%d', l)) = Thetas{l};
end
s.X = cos(1:5);
[s.p, s.h] = predict(Thetas, s.X);
write('predict_depth3_m1', s);

% ---------------------------------------------------------------- training
% 300 points (x1, x2) on a Lissajous-like curve, a third feature as noise; the
% class is the quadrant of (x1, x2): 4 classes, learnable by a small net.
s = struct();
t = (1:300)';
s.X = [sin(1.3 * t), cos(0.7 * t), sin(0.37 * t) .* cos(1.1 * t)];
s.y = 1 + (s.X(:, 1) > 0) + 2 * (s.X(:, 2) > 0);
s.layer_sizes = [3 6 4];
s.lambda = 1;
s.maxiter = 50;
s.initial_nn_params = sinWeights(s.layer_sizes, 0.83, 0.5);
[s.nn_params, s.J, s.iterations] = trainReference(s.initial_nn_params, s.layer_sizes, ...
                                                  s.X, s.y, s.lambda, s.maxiter);
Thetas = rollParams(s.nn_params, s.layer_sizes);
s.p = predict(Thetas, s.X);
s.accuracy = 100 * mean(s.p == s.y);
write('train', s);
