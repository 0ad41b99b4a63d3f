function g = sigmoidGradient(z)
  % SIGMOIDGRADIENT  Derivative of the sigmoid, g(z) .* (1 - g(z)), element-wise.
  %   The course formula.  For large positive z, 1 - g(z) cancels, so the result
  %   is accurate to about eps in absolute terms, not relative terms.
  s = sigmoid(z);
  g = s .* (1 - s);
end
