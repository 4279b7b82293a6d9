# The question's program, fixed with the fewest edits it needs.
#
# Every line that differs from the question carries a comment: what it was, and the notebook
# that shows why it had to change. Everything else (names, shapes, the loop, the
# "deltas point downhill and are added" convention) is the question's own code.
# Run it with:  python notebooks/question_fixed.py   (a few seconds)
#
# The seed uses the question's own legacy API (np.random.seed), so that no other line that draws
# random numbers has to change; NumPy keeps the legacy stream fixed across versions (NEP 19), and
# these are the draws the replay helpers.original.run_original(seed=0) makes in notebooks 00-03: the
# biases are still drawn 1000 rows deep, as the question draws them, and keep their first row, so that
# every later draw and the start (MSE 45) are the replay's.
import numpy as np
import matplotlib.pyplot as plt

np.random.seed(0)  # added: the same draws every run, the replay's data (00_the_broken_network)
x_pre = 2*np.random.normal(size = (1000,1))
y = x_pre**2 + -0.2*np.cos(3*np.pi*x_pre)
y = y.reshape(y.shape[0],1)

def standard(data):
    mu = np.mean(data)
    std = np.std(data)  # was np.var(data): divide by the std, not the variance (02_normalization)
    return (data - mu)/std
x = standard(x_pre)

ndim = 10
w0 = 2*np.random.random((1,ndim))-1
w1 = 2*np.random.random((ndim,1))-1
b0 = np.random.normal(size = (1000,ndim))[:1]  # was (1000,ndim): keep one row, one bias per unit (01_bias_shapes)
b1 = np.random.normal(size = (1000,1))[:1]  # was (1000,1): keep one row, one output bias (01_bias_shapes)
lr = 0.1  # was 1: below 2/lambda_max of the mean loss all along (0.24 here at the start, 0.15 later; lambda_max: the loss's largest curvature, the top eigenvalue of its Hessian) (04_learning_rate, 04b_curvature_and_stability)
print('var(y) %.3g: the MSE of always predicting mean(y)' % np.var(y))  # added: the yardstick for the loss (05_working_network)
for j in range(5000):  # was range(4): 4 steps barely move the loss; at 2000 the MSE is 0.063 (0.2% of var(y)), at 5000 0.036 and still falling slowly: stop when another 500 epochs no longer help you (05_working_network)
    l1 = 1/(1+ np.exp(-(np.dot(x,w0)+ b0)))
    l2 = np.dot(l1,w1)+ b1#1/(1+ np.exp(-(np.dot(l1,w1)+ b1)))
    l2_delta= 2*(y-l2)/len(y)#mse  was np.mean(y - l2)*2*(y-l2): minus the gradient of the mean loss (03_gradient_sign_and_scale)
    l1_delta = l2_delta.dot(w1.T)*(l1*(1-l1))
    w1 += lr*l1.T.dot(l2_delta)
    w0 += lr*x.T.dot(l1_delta)
    b0 += lr* l1_delta.sum(axis=0, keepdims=True)  # was lr* l1_delta: a shared bias adds up its samples' deltas (01_bias_shapes)
    b1 += lr*l2_delta.sum(axis=0, keepdims=True)  # was lr*l2_delta (01_bias_shapes)
    if j % 500 == 0: print('epoch', j, 'loss %.3g' % np.mean((y - l2)**2))  # was print('loss',np.mean(y - l2)), the mean residual (00_the_broken_network)
l1 = 1/(1+ np.exp(-(np.dot(x,w0)+ b0)))  # was without + b0: predict with the trained network (00_the_broken_network)
l2 = np.dot(l1,w1)+ b1  # was 1/(1+ np.exp(-np.dot(l1,w1))): linear output, with its bias (00_the_broken_network)
y_hap =  l2
print('MSE of y_hap %.3g' % np.mean((y - y_hap)**2))  # added: the MSE after all 5000 epochs, the last epoch printed above being 4500 (05_working_network)
x_new = (np.array([[-2.], [0.], [2.]]) - np.mean(x_pre))/np.std(x_pre)  # added: new inputs scaled with the training mean and std (05_working_network)
print('at x_pre = -2, 0, 2 it predicts', np.round(np.dot(1/(1+ np.exp(-(np.dot(x_new,w0)+ b0))),w1)+ b1, 1).ravel(), '(y there: 3.8, -0.2, 3.8)')  # added (05_working_network)
