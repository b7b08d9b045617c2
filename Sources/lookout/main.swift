print("lookout: skeleton")
