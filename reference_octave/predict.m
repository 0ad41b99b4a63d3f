function [p, h] = predict(varargin)
  % PREDICT  Labels 1..K of a trained network: predict(Theta1, Theta2, ..., X)
  %   or predict({Theta1, Theta2, ...}, X).  h is the output layer's activation;
  %   p(i) is the index of the largest h(i, :), the first one on ties.
  if iscell(varargin{1})
    Thetas = varargin{1};
  else
    Thetas = varargin(1:end - 1);
  end
  X = varargin{end};
  m = size(X, 1);
  h = X;
  for l = 1:numel(Thetas)
    h = sigmoid([ones(m, 1) h] * Thetas{l}');
  end
  [~, p] = max(h, [], 2);
end
