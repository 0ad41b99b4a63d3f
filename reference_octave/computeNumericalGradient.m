function numgrad = computeNumericalGradient(J, theta, e)
  % COMPUTENUMERICALGRADIENT  Central differences of the cost J (a function handle
  %   returning the cost first) at theta, one coordinate at a time:
  %   numgrad(p) = (J(theta + e u_p) - J(theta - e u_p)) / (2 e).
  if nargin < 3
    e = 1e-4;
  end
  numgrad = zeros(size(theta));
  t = theta;
  for p = 1:numel(theta)
    t(p) = theta(p) - e;
    loss1 = J(t);
    t(p) = theta(p) + e;
    loss2 = J(t);
    t(p) = theta(p);
    numgrad(p) = (loss2 - loss1) / (2 * e);
  end
end
