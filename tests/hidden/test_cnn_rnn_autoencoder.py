"""The hidden tests of the CNN/RNN-autoencoder chapter catch wrong answers the self-check passes."""

import pytest

from dlcourse.exercises import cnn_rnn_autoencoder as ex
from dlcourse.instructor.hidden import cnn_rnn_autoencoder as hidden
from exercises.test_cnn_rnn_autoencoder import conv_params  # the worked answer

HIDDEN = "^hidden test: "


def test_conv_params_worked_answer_passes():
    hidden.ex_cnn_rnn_autoencoder_2(conv_params)


def test_conv_params_tuned_to_the_self_check_fails():
    """Right on the self-check's layers; elsewhere forgets the biases."""
    known = set(ex._CASES)

    def tuned(kernel_size, in_channels, filters):
        if (kernel_size, in_channels, filters) in known:
            return conv_params(kernel_size, in_channels, filters)
        return kernel_size * kernel_size * in_channels * filters

    ex.check_conv_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_rnn_autoencoder_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda k, c_in, f: (k * 3 * c_in + 1) * f,               # a kernel of side 3 assumed
    lambda k, c_in, f: (k * k + 1) * f,                      # input channels left out
    lambda k, c_in, f: str(conv_params(k, c_in, f)),         # text
])
def test_conv_params_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_cnn_rnn_autoencoder_2(wrong)
