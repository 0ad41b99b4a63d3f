function [nn_params, J, iterations] = trainReference(initial_nn_params, layer_sizes, X, y, ...
                                                    lambda, maxiter)
  % TRAINREFERENCE  Train with Octave's fminunc (BFGS, analytical gradient) for at
  %   most maxiter iterations; the tolerances are set so small that in practice
  %   the iteration budget is what stops it.
  hidden = layer_sizes(2:end - 1);
  cost = @(p) nnCostFunction(p, layer_sizes(1), hidden, layer_sizes(end), X, y, lambda);
  options = optimset('GradObj', 'on', 'MaxIter', maxiter, 'MaxFunEvals', 100 * maxiter, ...
                     'TolFun', 1e-14, 'TolX', 1e-14, 'Display', 'off');
  [nn_params, J, ~, output] = fminunc(cost, initial_nn_params, options);
  iterations = output.iterations;
end
