function s = costCase(layer_sizes, X, y, nn_params, lambdas, e)
  % COSTCASE  Fixture struct for one network: its inputs, and for every lambda
  %   the cost J(k), the gradient grad(:, k) and the central-difference
  %   gradient numgrad(:, k) with step e.
  s.layer_sizes = layer_sizes;
  s.X = X;
  s.y = y;
  s.nn_params = nn_params;
  s.lambdas = lambdas;
  s.e = e;
  n = numel(nn_params);
  s.J = zeros(1, numel(lambdas));
  s.grad = zeros(n, numel(lambdas));
  s.numgrad = zeros(n, numel(lambdas));
  hidden = layer_sizes(2:end - 1);
  for k = 1:numel(lambdas)
    cost = @(p) nnCostFunction(p, layer_sizes(1), hidden, layer_sizes(end), X, y, lambdas(k));
    [s.J(k), s.grad(:, k)] = cost(nn_params);
    s.numgrad(:, k) = computeNumericalGradient(cost, nn_params, e);
  end
end
