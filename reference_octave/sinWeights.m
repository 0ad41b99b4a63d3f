function nn_params = sinWeights(layer_sizes, freq, scale)
  % SINWEIGHTS  Deterministic unrolled parameters for a network of layer_sizes:
  %   scale * sin(freq * (1:n))', like debugInitializeWeights but with its own
  %   frequency so that different test networks get different numbers.
  n = sum(layer_sizes(2:end) .* (layer_sizes(1:end - 1) + 1));
  nn_params = scale * sin(freq * (1:n))';
end
