function [J, grad] = nnCostFunction(nn_params, input_layer_size, hidden_layer_size, ...
                                    num_labels, X, y, lambda)
  % NNCOSTFUNCTION  Regularized cross-entropy cost and backprop gradient of a
  %   sigmoid network with any number of hidden layers.
  %   hidden_layer_size is a scalar (one hidden layer) or a vector (one entry per
  %   hidden layer).  Labels y are 1..num_labels.  Vectorized over examples; the
  %   bias column of every Theta (column 1) is not regularized.
  layer_sizes = [input_layer_size, hidden_layer_size(:)', num_labels];
  Thetas = rollParams(nn_params, layer_sizes);
  L = numel(Thetas);
  m = size(X, 1);

  % Forward: A{l} is layer l's activation with its bias column of ones.
  A = cell(1, L + 1);
  Z = cell(1, L);
  A{1} = [ones(m, 1) X];
  for l = 1:L
    Z{l} = A{l} * Thetas{l}';
    if l < L
      A{l + 1} = [ones(m, 1) sigmoid(Z{l})];
    else
      A{l + 1} = sigmoid(Z{l});
    end
  end
  h = A{L + 1};

  % Explicit one-hot targets: row i of Y is row y(i) of the identity.
  I = eye(num_labels);
  Y = I(y, :);

  J = sum(sum(-Y .* log(h) - (1 - Y) .* log(1 - h))) / m;
  penalty = 0;
  for l = 1:L
    penalty = penalty + sum(sum(Thetas{l}(:, 2:end) .^ 2));
  end
  J = J + lambda / (2 * m) * penalty;

  % Backward.
  grads = cell(1, L);
  delta = h - Y;
  for l = L:-1:1
    grads{l} = delta' * A{l} / m;
    grads{l}(:, 2:end) = grads{l}(:, 2:end) + lambda / m * Thetas{l}(:, 2:end);
    if l > 1
      delta = (delta * Thetas{l}(:, 2:end)) .* sigmoidGradient(Z{l - 1});
    end
  end
  grad = unrollParams(grads);
end
